// The window's answer to the native menu's commands (runAppCommand) and the
// bus that carries them to panels with their own state (UiRequests): dialogs
// in front of New / Open, the path field when there is no dialog, commands that
// need a project ignored without one, a request that waits for its panel.
import { describe, expect, it, vi } from 'vitest';
import type { AppCommand } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { runAppCommand, type CommandTargets } from '../../src-renderer/state/app-commands';
import { UiRequests, type UiRequest } from '../../src-renderer/state/ui-requests';

function targets(opts: { projectOpen: boolean; newPath?: Result<string | null>; openPath?: Result<string | null> }) {
  const emitted: { request: UiRequest; untilHeard?: boolean }[] = [];
  const t = {
    api: {
      chooseNewProjectPath: vi.fn(async () => opts.newPath ?? { ok: true as const, value: '/d/new.fibrecon' }),
      chooseProjectFile: vi.fn(async () => opts.openPath ?? { ok: true as const, value: '/d/old.fibrecon' }),
    },
    store: {
      getState: () => ({ project: opts.projectOpen ? ({ path: '/d/open.fibrecon' } as never) : null }),
      createProject: vi.fn(async () => {}),
      openProject: vi.fn(async () => {}),
      closeProject: vi.fn(async () => {}),
      setStep: vi.fn(),
      showError: vi.fn(),
    },
    emit: (request: UiRequest, o?: { untilHeard?: boolean }) => emitted.push({ request, ...o }),
  } satisfies CommandTargets;
  return { t, emitted };
}
const run = (c: AppCommand, t: CommandTargets) => runAppCommand(c, t);

describe('runAppCommand', () => {
  it('New project…: the save dialog, then the project is created at the chosen path', async () => {
    const { t } = targets({ projectOpen: false });
    await run({ command: 'new-project' }, t);
    expect(t.api.chooseNewProjectPath).toHaveBeenCalledWith({});
    expect(t.store.createProject).toHaveBeenCalledWith('/d/new.fibrecon');
  });

  it('Open project…: the open dialog, then the chosen file opens; cancelled: nothing happens', async () => {
    const { t } = targets({ projectOpen: true });
    await run({ command: 'open-project' }, t);
    expect(t.store.openProject).toHaveBeenCalledWith('/d/old.fibrecon');
    const cancelled = targets({ projectOpen: true, openPath: { ok: true, value: null } });
    await run({ command: 'open-project' }, cancelled.t);
    expect(cancelled.t.store.openProject).not.toHaveBeenCalled();
    expect(cancelled.emitted).toEqual([]);
  });

  it('no dialog (browser): the path field gets the focus with the reason; another error goes to the banner', async () => {
    const message = 'There is no file dialog in the browser: type the project file\'s full path in the field.';
    const { t, emitted } = targets({ projectOpen: false, openPath: { ok: false, error: { tag: 'dialog_unavailable', message } } });
    await run({ command: 'open-project' }, t);
    expect(emitted).toEqual([{ request: { type: 'focus-path', field: 'open-path', message } }]);
    expect(t.store.openProject).not.toHaveBeenCalled();
    const failing = targets({ projectOpen: false, newPath: { ok: false, error: { tag: 'internal', message: 'boom' } } });
    await run({ command: 'new-project' }, failing.t);
    expect(failing.t.store.showError).toHaveBeenCalledWith({ tag: 'internal', message: 'boom' });
    expect(failing.emitted).toEqual([]);
  });

  it('open-path (Open recent, a second launch) opens that file', async () => {
    const { t } = targets({ projectOpen: true });
    await run({ command: 'open-path', path: '/d/b.fibrecon' }, t);
    expect(t.store.openProject).toHaveBeenCalledWith('/d/b.fibrecon');
  });

  it('with a project: Import stack… switches to Import and asks the form to browse (waiting for it); slices and 3D go to their panels', async () => {
    const { t, emitted } = targets({ projectOpen: true });
    await run({ command: 'import-stack' }, t);
    await run({ command: 'next-slice' }, t);
    await run({ command: 'previous-slice' }, t);
    await run({ command: 'view-3d' }, t);
    await run({ command: 'close-project' }, t);
    expect(t.store.setStep).toHaveBeenCalledWith('import');
    expect(emitted).toEqual([
      { request: { type: 'import-browse' }, untilHeard: true },
      { request: { type: 'slice-step', delta: 1 } },
      { request: { type: 'slice-step', delta: -1 } },
      { request: { type: 'show-3d' } },
    ]);
    expect(t.store.closeProject).toHaveBeenCalledTimes(1);
  });

  it('without a project, the project commands do nothing', async () => {
    const { t, emitted } = targets({ projectOpen: false });
    for (const command of ['import-stack', 'next-slice', 'previous-slice', 'view-3d', 'close-project'] as const) await run({ command }, t);
    expect(emitted).toEqual([]);
    expect(t.store.setStep).not.toHaveBeenCalled();
    expect(t.store.closeProject).not.toHaveBeenCalled();
  });
});

describe('UiRequests', () => {
  it('delivers to every listener; an unheard request is dropped unless it waits for a listener that acts on it', () => {
    const bus = new UiRequests();
    bus.emit({ type: 'show-3d' });
    bus.emit({ type: 'import-browse' }, { untilHeard: true });
    const stepper = vi.fn((r: UiRequest) => r.type === 'slice-step');
    bus.on(stepper);
    // The stepper does not act on import-browse: it keeps waiting; show-3d was never kept.
    expect(stepper.mock.calls.map(([r]) => r.type)).toEqual(['import-browse']);
    const form = vi.fn((r: UiRequest) => r.type === 'import-browse');
    const off = bus.on(form);
    expect(form).toHaveBeenCalledWith({ type: 'import-browse' });
    // Delivered once: a later listener does not get it again.
    const late = vi.fn(() => true);
    bus.on(late);
    expect(late).not.toHaveBeenCalled();
    off();
    bus.emit({ type: 'slice-step', delta: 1 });
    expect(form).toHaveBeenCalledTimes(1);
    expect(stepper).toHaveBeenLastCalledWith({ type: 'slice-step', delta: 1 });
    expect(late).toHaveBeenCalledTimes(1);
  });
});
