// One ipcMain.handle per contract method. Each checks that the request comes
// from the app's own page and passes the raw input to the backend, which
// validates it; the renderer is never trusted to send well-formed requests.
// The file-dialog methods are answered here, with the dialog on the asking window.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, ipcChannel, type ApiMethod } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import type { ApiBackend } from '../app/api-backend-types';
import { answerDialogRequest, isDialogMethod, type NativeDialogs } from '../electron-model/file-dialogs';
import { isTrustedRendererUrl, type TrustedRenderer } from './trusted-sender';

const REFUSED: Result<never> = {
  ok: false,
  error: { tag: 'invalid_input', message: 'Request refused: it did not come from the fibrecon window.' },
};

export interface IpcHandlerOptions {
  /** Called after each answered request (the menu is rebuilt after a project opens or closes). */
  afterCall?: (method: ApiMethod) => void;
  /** Where the file dialogs start (the open project's folder). */
  dialogStartDir?: () => string | undefined;
}

/** Electron's dialogs, modal on the window that asked (free-standing if it has none). */
function dialogsFor(event: IpcMainInvokeEvent): NativeDialogs {
  const win = BrowserWindow.fromWebContents(event.sender);
  return {
    showOpenDialog: (o) => (win ? dialog.showOpenDialog(win, o) : dialog.showOpenDialog(o)),
    showSaveDialog: (o) => (win ? dialog.showSaveDialog(win, o) : dialog.showSaveDialog(o)),
  };
}

/** Registers the handlers; returns a function that removes them. */
export function registerIpcHandlers(backend: ApiBackend, trusted: TrustedRenderer, opts: IpcHandlerOptions = {}): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedRendererUrl(event.senderFrame?.url, trusted)) return REFUSED;
      const result = isDialogMethod(method)
        ? await answerDialogRequest(method, input, dialogsFor(event), { startDir: opts.dialogStartDir?.() })
        : await backend.call(method, input);
      opts.afterCall?.(method);
      return result;
    });
  }
  return () => API_METHODS.forEach((method) => ipcMain.removeHandler(ipcChannel(method)));
}
