// IPC channel names, kept free of zod so that the sandboxed preload bundle
// stays small; contract.ts re-exports them.

export const ipcChannel = (method: string): string => `fibrecon:${method}`;
export const JOB_EVENT_CHANNEL = 'fibrecon:job-event';
export const APP_COMMAND_CHANNEL = 'fibrecon:app-command';
