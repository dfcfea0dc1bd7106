// The file-dialog methods over the HTTP bridge with the real backend: a
// browser gets no native dialog, so each answers the tagged error
// 'dialog_unavailable' whose message says what to type or drop instead; a
// malformed request is still refused as invalid input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiBackend } from '../../src-main/app/api-backend';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/http-bridge';
import { createHttpApi } from '../../src-renderer/api/http-client';
import { tempDir } from '../helpers/python';

describe('file dialogs over the HTTP bridge', () => {
  const tmp = tempDir('fibrecon-bridge-dialogs-');
  let backend: ApiBackend;
  let bridge: RunningBridge;

  beforeAll(async () => {
    backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
    bridge = await startBridge({ backend, rendererDir: tmp.dir });
  });
  afterAll(async () => {
    await bridge.close();
    await backend.dispose();
    tmp.cleanup();
  });

  it('each dialog method answers dialog_unavailable with what to do instead, through the renderer\'s own HTTP client', async () => {
    const api = createHttpApi({ token: bridge.token, baseUrl: `http://127.0.0.1:${bridge.port}` });
    const open = await api.chooseProjectFile();
    expect(open).toEqual({ ok: false, error: { tag: 'dialog_unavailable', message: "There is no file dialog in the browser: type the project file's full path in the field." } });
    const create = await api.chooseNewProjectPath({ suggestedName: 'Sample 42' });
    expect(create.ok === false && create.error.tag).toBe('dialog_unavailable');
    expect(create.ok === false && create.error.message).toMatch(/type the full path of the new \.fibrecon file/);
    const stack = await api.chooseImportPaths({ select: 'folder' });
    expect(stack.ok === false && stack.error.tag).toBe('dialog_unavailable');
    expect(stack.ok === false && stack.error.message).toMatch(/or drop them from the file manager/);
  });

  it('a malformed request is refused as invalid input, not answered as "no dialog"', async () => {
    const res = await fetch(`http://127.0.0.1:${bridge.port}/api/chooseImportPaths`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fibrecon-token': bridge.token },
      body: JSON.stringify({ select: 'disk' }),
    });
    const body = (await res.json()) as { ok: boolean; error: { tag: string } };
    expect(body.ok).toBe(false);
    expect(body.error.tag).toBe('invalid_input');
  });
});
