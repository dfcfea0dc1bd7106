// The native file dialogs behind the contract's choose* methods, with the
// dialog functions passed in: ipc-handlers.ts gives Electron's dialog bound to
// the asking window, tests give fakes. (Electron's types only; no Electron at run time.)
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { validateRequest, type ApiMethod } from '../../src-shared/contract';
import { toErrorValue, type Result } from '../../src-shared/errors';
import { PROJECT_EXTENSION } from './launch-args';

export interface NativeDialogs {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

export const DIALOG_METHODS = ['chooseProjectFile', 'chooseNewProjectPath', 'chooseImportPaths'] as const satisfies readonly ApiMethod[];
export type DialogMethod = (typeof DIALOG_METHODS)[number];

export const isDialogMethod = (method: ApiMethod): method is DialogMethod => (DIALOG_METHODS as readonly string[]).includes(method);

const PROJECT_FILTERS = [
  { name: 'fibrecon project', extensions: [PROJECT_EXTENSION.slice(1)] },
  { name: 'All files', extensions: ['*'] },
];
const TIFF_FILTERS = [
  { name: 'TIFF images', extensions: ['tif', 'tiff', 'TIF', 'TIFF'] },
  { name: 'All files', extensions: ['*'] },
];

export interface DialogContext {
  /** Where the dialogs start (e.g. the folder of the last project); the system's choice when absent. */
  startDir?: string;
}

/** Validates the request, shows the dialog, returns the chosen path(s) or null when cancelled; never throws. */
export async function answerDialogRequest(method: DialogMethod, input: unknown, dialogs: NativeDialogs, ctx: DialogContext = {}): Promise<Result<unknown>> {
  const valid = validateRequest(method, input);
  if (!valid.ok) return valid;
  try {
    switch (method) {
      case 'chooseProjectFile': {
        const r = await dialogs.showOpenDialog({ title: 'Open project', defaultPath: ctx.startDir, properties: ['openFile'], filters: PROJECT_FILTERS });
        return { ok: true, value: r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0] };
      }
      case 'chooseNewProjectPath': {
        const { suggestedName } = valid.value as { suggestedName?: string };
        const file = `${safeFileName(suggestedName ?? 'untitled')}${PROJECT_EXTENSION}`;
        const r = await dialogs.showSaveDialog({
          title: 'New project',
          buttonLabel: 'Create',
          defaultPath: ctx.startDir === undefined ? file : join(ctx.startDir, file),
          properties: ['createDirectory'],
          filters: PROJECT_FILTERS.slice(0, 1),
        });
        if (r.canceled || r.filePath === undefined || r.filePath === '') return { ok: true, value: null };
        const path = r.filePath.toLowerCase().endsWith(PROJECT_EXTENSION) ? r.filePath : `${r.filePath}${PROJECT_EXTENSION}`;
        // A project is never written over another file: say so now, not after the dialog has said "replace".
        if (existsSync(path)) {
          return {
            ok: false,
            error: { tag: 'invalid_input', message: `${path} already exists: choose another name for the new project, or open that file with Open project.`, file: path },
          };
        }
        if (!existsSync(dirname(path))) return { ok: false, error: { tag: 'file_not_found', message: `The folder ${dirname(path)} does not exist: choose another one.`, file: path } };
        return { ok: true, value: path };
      }
      case 'chooseImportPaths': {
        const { select } = valid.value as { select: 'files' | 'folder' };
        const r = await dialogs.showOpenDialog(
          select === 'folder'
            ? { title: 'Import a folder of slices', defaultPath: ctx.startDir, properties: ['openDirectory'] }
            : { title: 'Import TIFF stack or slices', defaultPath: ctx.startDir, properties: ['openFile', 'multiSelections'], filters: TIFF_FILTERS },
        );
        return { ok: true, value: r.canceled || r.filePaths.length === 0 ? null : r.filePaths };
      }
    }
  } catch (e) {
    return { ok: false, error: toErrorValue(e) };
  }
}

/** A project name as a file name: no path separators or characters Windows refuses. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned === '' ? 'untitled' : cleaned.slice(0, 120);
}
