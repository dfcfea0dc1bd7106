// Freezes the public API of the preload: window.fibrecon holds exactly the
// contract's methods plus onJobEvent, onAppCommand and pathForFile (dropped files, through
// Electron's webUtils, no IPC), all of them functions, and each method
// forwards to its own IPC channel. Adding a method to one side only fails here.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, APP_COMMAND_CHANNEL, ipcChannel, JOB_EVENT_CHANNEL, REQUEST_SCHEMAS, type AppCommand, type FibreconApi, type JobEvent, type PreloadFileHelpers } from '../../src-shared/contract';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    contextBridge: {
      exposeInMainWorld: vi.fn(),
    },
    webUtils: {
      getPathForFile: vi.fn((file: { name: string }) => `/dropped/${file.name}`),
    },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, req: unknown) => ({ ok: true, value: { channel, req } })),
      on: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      }),
      removeListener: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(fn);
      }),
    },
  };
});

vi.mock('electron', () => {
  electron.contextBridge.exposeInMainWorld.mockImplementation((key: string, value: unknown) => electron.exposed.set(key, value));
  return { contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer, webUtils: electron.webUtils };
});

const preload = await import('../../src-preload/index');
const exposed = electron.exposed.get('fibrecon') as FibreconApi & PreloadFileHelpers;

describe('preload API surface', () => {
  beforeEach(() => electron.ipcRenderer.invoke.mockClear());

  it('exposes one object, window.fibrecon, once', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...electron.exposed.keys()]).toEqual(['fibrecon']);
  });

  it('exposes exactly the contract methods plus onJobEvent, onAppCommand and pathForFile', () => {
    const expected = [...API_METHODS, 'onJobEvent', 'onAppCommand', 'pathForFile'].sort();
    expect(Object.keys(exposed).sort()).toEqual(expected);
    expect([...preload.EXPOSED_API_NAMES].sort()).toEqual(expected);
  });

  it('exposes only functions, never ipcRenderer or other objects', () => {
    for (const [name, value] of Object.entries(exposed)) expect(typeof value, name).toBe('function');
    expect(Object.values(exposed)).not.toContain(electron.ipcRenderer);
  });

  it('forwards each method to its own channel with the request untouched (none for argument-less methods)', async () => {
    for (const method of API_METHODS) {
      const req = { probe: method };
      const call = exposed[method] as (r: unknown) => Promise<unknown>;
      const forwarded = REQUEST_SCHEMAS[method] === null ? undefined : req;
      await expect(call(req)).resolves.toEqual({ ok: true, value: { channel: ipcChannel(method), req: forwarded } });
    }
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(API_METHODS.length);
  });

  it('pathForFile asks webUtils for the dropped file\'s path and sends nothing over IPC', () => {
    const file = { name: 'stack 1.tif' } as unknown as File;
    expect(exposed.pathForFile(file)).toBe('/dropped/stack 1.tif');
    expect(electron.webUtils.getPathForFile).toHaveBeenCalledWith(file);
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('subscribes to job events and unsubscribes', () => {
    const seen: JobEvent[] = [];
    const unsubscribe = exposed.onJobEvent((e) => seen.push(e));
    const handlers = electron.listeners.get(JOB_EVENT_CHANNEL)!;
    expect(handlers.size).toBe(1);
    const event: JobEvent = { jobId: 'j', kind: 'import', type: 'done', message: 'ok' };
    for (const h of handlers) h({ sender: 'ipc event, not for the page' }, event);
    expect(seen).toEqual([event]);
    unsubscribe();
    expect(handlers.size).toBe(0);
  });

  it('subscribes to the menu\'s app commands on their own channel and unsubscribes', () => {
    const seen: AppCommand[] = [];
    const unsubscribe = exposed.onAppCommand((c) => seen.push(c));
    const handlers = electron.listeners.get(APP_COMMAND_CHANNEL)!;
    expect(handlers.size).toBe(1);
    expect(APP_COMMAND_CHANNEL).not.toBe(JOB_EVENT_CHANNEL);
    const command: AppCommand = { command: 'open-path', path: '/data/a.fibrecon' };
    for (const h of handlers) h({ sender: 'ipc event' }, command);
    expect(seen).toEqual([command]);
    unsubscribe();
    expect(handlers.size).toBe(0);
  });
});
