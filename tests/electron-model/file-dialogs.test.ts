// The native dialogs behind chooseProjectFile / chooseNewProjectPath /
// chooseImportPaths, with Electron's dialog replaced by recording fakes: the
// options each dialog gets, cancel, the .fibrecon extension, an existing file
// refused (real temp files), bad requests refused before any dialog shows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { answerDialogRequest, isDialogMethod, safeFileName, type NativeDialogs } from '../../src-main/electron-model/file-dialogs';
import { API_METHODS } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';

function fakeDialogs(answer: { open?: { canceled: boolean; filePaths: string[] }; save?: { canceled: boolean; filePath?: string }; throws?: Error }) {
  const shown: { kind: 'open' | 'save'; options: OpenDialogOptions | SaveDialogOptions }[] = [];
  const dialogs: NativeDialogs = {
    async showOpenDialog(options) {
      shown.push({ kind: 'open', options });
      if (answer.throws) throw answer.throws;
      return answer.open ?? { canceled: true, filePaths: [] };
    },
    async showSaveDialog(options) {
      shown.push({ kind: 'save', options });
      if (answer.throws) throw answer.throws;
      return answer.save ?? { canceled: true };
    },
  };
  return { dialogs, shown };
}

describe('answerDialogRequest', () => {
  const tmp = tempDir('fibrecon-dialogs-');
  afterAll(() => tmp.cleanup());

  it('exactly the three choose* methods are dialog methods', () => {
    expect(API_METHODS.filter(isDialogMethod)).toEqual(['chooseProjectFile', 'chooseNewProjectPath', 'chooseImportPaths']);
  });

  it('chooseProjectFile: one .fibrecon file, starting in the given folder; cancel gives null', async () => {
    const f = fakeDialogs({ open: { canceled: false, filePaths: ['/data/a.fibrecon'] } });
    await expect(answerDialogRequest('chooseProjectFile', undefined, f.dialogs, { startDir: '/data' })).resolves.toEqual({ ok: true, value: '/data/a.fibrecon' });
    const o = f.shown[0]!.options as OpenDialogOptions;
    expect(f.shown[0]!.kind).toBe('open');
    expect(o.properties).toEqual(['openFile']);
    expect(o.defaultPath).toBe('/data');
    expect(o.filters![0]).toEqual({ name: 'fibrecon project', extensions: ['fibrecon'] });
    const cancelled = fakeDialogs({ open: { canceled: true, filePaths: [] } });
    await expect(answerDialogRequest('chooseProjectFile', undefined, cancelled.dialogs)).resolves.toEqual({ ok: true, value: null });
  });

  it('chooseNewProjectPath: a save dialog named after the project; the extension added when typed without', async () => {
    const f = fakeDialogs({ save: { canceled: false, filePath: join(tmp.dir, 'sample 42') } });
    await expect(answerDialogRequest('chooseNewProjectPath', { suggestedName: 'Sample 42/anode: B' }, f.dialogs, { startDir: tmp.dir })).resolves.toEqual({
      ok: true,
      value: join(tmp.dir, 'sample 42.fibrecon'),
    });
    const o = f.shown[0]!.options as SaveDialogOptions;
    expect(f.shown[0]!.kind).toBe('save');
    expect(o.defaultPath).toBe(join(tmp.dir, 'Sample 42-anode- B.fibrecon'));
    const kept = fakeDialogs({ save: { canceled: false, filePath: join(tmp.dir, 'b.FIBRECON') } });
    await expect(answerDialogRequest('chooseNewProjectPath', {}, kept.dialogs)).resolves.toEqual({ ok: true, value: join(tmp.dir, 'b.FIBRECON') });
    expect((kept.shown[0]!.options as SaveDialogOptions).defaultPath).toBe('untitled.fibrecon');
    const cancelled = fakeDialogs({ save: { canceled: true, filePath: '' } });
    await expect(answerDialogRequest('chooseNewProjectPath', {}, cancelled.dialogs)).resolves.toEqual({ ok: true, value: null });
  });

  it('chooseNewProjectPath: an existing file or a missing folder is refused with what to do', async () => {
    const existing = join(tmp.dir, 'taken.fibrecon');
    writeFileSync(existing, 'x');
    const f = fakeDialogs({ save: { canceled: false, filePath: existing } });
    const r = await answerDialogRequest('chooseNewProjectPath', {}, f.dialogs);
    expect(r).toMatchObject({ ok: false, error: { tag: 'invalid_input', file: existing } });
    expect(!r.ok && r.error.message).toMatch(/already exists: choose another name .* or open that file with Open project/);
    const missing = fakeDialogs({ save: { canceled: false, filePath: join(tmp.dir, 'no such folder', 'p.fibrecon') } });
    await expect(answerDialogRequest('chooseNewProjectPath', {}, missing.dialogs)).resolves.toMatchObject({ ok: false, error: { tag: 'file_not_found' } });
  });

  it('chooseImportPaths: several TIFF files, or one folder; cancel gives null', async () => {
    mkdirSync(join(tmp.dir, 'slices'), { recursive: true });
    const files = fakeDialogs({ open: { canceled: false, filePaths: ['/s/a.tif', '/s/b.tif'] } });
    await expect(answerDialogRequest('chooseImportPaths', { select: 'files' }, files.dialogs)).resolves.toEqual({ ok: true, value: ['/s/a.tif', '/s/b.tif'] });
    const fo = files.shown[0]!.options as OpenDialogOptions;
    expect(fo.properties).toEqual(['openFile', 'multiSelections']);
    expect(fo.filters![0]!.extensions).toContain('tif');
    const folder = fakeDialogs({ open: { canceled: false, filePaths: ['/s'] } });
    await expect(answerDialogRequest('chooseImportPaths', { select: 'folder' }, folder.dialogs)).resolves.toEqual({ ok: true, value: ['/s'] });
    expect((folder.shown[0]!.options as OpenDialogOptions).properties).toEqual(['openDirectory']);
    const cancelled = fakeDialogs({ open: { canceled: true, filePaths: [] } });
    await expect(answerDialogRequest('chooseImportPaths', { select: 'files' }, cancelled.dialogs)).resolves.toEqual({ ok: true, value: null });
  });

  it('an invalid request is refused before any dialog shows; a dialog that throws becomes an error value', async () => {
    const f = fakeDialogs({ open: { canceled: false, filePaths: ['/x'] } });
    const bad = await answerDialogRequest('chooseImportPaths', { select: 'everything' }, f.dialogs);
    expect(bad).toMatchObject({ ok: false, error: { tag: 'invalid_input' } });
    expect(!bad.ok && bad.error.message).toMatch(/^Invalid chooseImportPaths request \(select:/);
    await expect(answerDialogRequest('chooseNewProjectPath', { suggestedName: 'a', path: '/etc' }, f.dialogs)).resolves.toMatchObject({ ok: false, error: { tag: 'invalid_input' } });
    expect(f.shown).toEqual([]);
    const broken = fakeDialogs({ throws: new Error('no display') });
    await expect(answerDialogRequest('chooseProjectFile', undefined, broken.dialogs)).resolves.toMatchObject({ ok: false, error: { tag: 'internal', message: expect.stringContaining('no display') } });
  });

  it('safeFileName keeps a usable name', () => {
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(safeFileName('  ..  ')).toBe('untitled');
    expect(safeFileName('x'.repeat(300))).toHaveLength(120);
  });
});
