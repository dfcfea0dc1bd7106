// Where each command that tests/reliability/cli-on-cue.ts runs lives: the module
// and export of the very Command object in main()'s table (kill-writers.test.ts
// checks that they are main()'s own), so the child loads that part of the CLI only.
export const COMMAND_MODULES: Record<string, [module: string, name: string]> = {
  import: ['../../src-main/cli/commands', 'importCmd'],
  export: ['../../src-main/cli/commands', 'exportCmd'],
  segment: ['../../src-main/cli/segment-command', 'segment'],
  annotate: ['../../src-main/cli/annotate-command', 'annotate'],
  reconstruct: ['../../src-main/cli/reconstruct-command', 'reconstruct'],
  thickness: ['../../src-main/cli/thickness-command', 'thickness'],
  register: ['../../src-main/cli/register-command', 'register'],
};
