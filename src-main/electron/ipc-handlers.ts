// One ipcMain.handle per contract method. Each checks that the request comes
// from the app's own page and passes the raw input to the backend, which
// validates it; the renderer is never trusted to send well-formed requests.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, ipcChannel } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import type { ApiBackend } from '../app/api-backend-types';
import { isTrustedRendererUrl, type TrustedRenderer } from './trusted-sender';

const REFUSED: Result<never> = {
  ok: false,
  error: { tag: 'invalid_input', message: 'Request refused: it did not come from the fibrecon window.' },
};

/** Registers the handlers; returns a function that removes them. */
export function registerIpcHandlers(backend: ApiBackend, trusted: TrustedRenderer): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedRendererUrl(event.senderFrame?.url, trusted)) return REFUSED;
      return backend.call(method, input);
    });
  }
  return () => API_METHODS.forEach((method) => ipcMain.removeHandler(ipcChannel(method)));
}
