// What the window does with a command from the native menu (or a second
// launch): the same actions as its buttons, with the native dialogs in front
// of New and Open. Where no dialog can be shown, the path field gets the focus.
import type { AppCommand, FibreconApi } from '../../src-shared/contract';
import type { AppErrorValue, Result } from '../../src-shared/errors';
import type { ProjectState, WizardStep } from './project-store';
import type { UiRequest } from './ui-requests';

export interface CommandTargets {
  api: Pick<FibreconApi, 'chooseProjectFile' | 'chooseNewProjectPath'>;
  store: {
    getState(): Pick<ProjectState, 'project'>;
    createProject(path: string): Promise<void>;
    openProject(path: string): Promise<void>;
    closeProject(): Promise<void>;
    setStep(step: WizardStep): void;
    showError(error: AppErrorValue): void;
  };
  emit(request: UiRequest, opts?: { untilHeard?: boolean }): void;
}

export async function runAppCommand(c: AppCommand, t: CommandTargets): Promise<void> {
  const projectOpen = t.store.getState().project !== null;
  switch (c.command) {
    case 'new-project': {
      const path = await chosen(await t.api.chooseNewProjectPath({}), 'create-path', t);
      if (path !== null) await t.store.createProject(path);
      return;
    }
    case 'open-project': {
      const path = await chosen(await t.api.chooseProjectFile(), 'open-path', t);
      if (path !== null) await t.store.openProject(path);
      return;
    }
    case 'open-path':
      await t.store.openProject(c.path);
      return;
    case 'close-project':
      if (projectOpen) await t.store.closeProject();
      return;
    case 'import-stack':
      if (!projectOpen) return;
      t.store.setStep('import');
      // The import form may mount only after this switch: the request waits for it.
      t.emit({ type: 'import-browse' }, { untilHeard: true });
      return;
    case 'next-slice':
    case 'previous-slice':
      if (projectOpen) t.emit({ type: 'slice-step', delta: c.command === 'next-slice' ? 1 : -1 });
      return;
    case 'view-3d':
      if (projectOpen) t.emit({ type: 'show-3d' });
  }
}

/** The chosen path, or null: cancelled, or no dialog here (then the path field gets the focus), or an error shown in the banner. */
async function chosen(res: Result<string | null>, field: 'create-path' | 'open-path', t: CommandTargets): Promise<string | null> {
  if (res.ok) return res.value;
  if (res.error.tag === 'dialog_unavailable') t.emit({ type: 'focus-path', field, message: res.error.message });
  else t.store.showError(res.error);
  return null;
}
