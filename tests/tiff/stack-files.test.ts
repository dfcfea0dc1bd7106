// listStackFiles: the slice images of a folder, in slice order.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listStackFiles, naturalCompare } from '../../src-main/tiff/stack-files';
import { tempDir } from '../helpers/python';

const tmp = tempDir('fibrecon-tiff-stack-');
afterAll(() => tmp.cleanup());

function folder(name: string, files: string[]): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  for (const f of files) writeFileSync(join(dir, f), 'x');
  return dir;
}

describe('listStackFiles', () => {
  it('natural order: slice_2 before slice_10', async () => {
    const dir = folder('plain', ['slice_10.tif', 'slice_2.tif', 'slice_1.tif', 'slice_100.tif', 'slice_9.tif']);
    expect((await listStackFiles(dir)).map((p) => basename(p))).toEqual(['slice_1.tif', 'slice_2.tif', 'slice_9.tif', 'slice_10.tif', 'slice_100.tif']);
  });

  it('Auto Slice & View names, .tif / .TIFF in any case; hidden files, other files and folders skipped', async () => {
    const dir = folder('asv', [
      'SEM Image - SliceImage - 010.tif',
      'SEM Image - SliceImage - 002.TIF',
      'SEM Image - SliceImage - 001.tiff',
      'SEM Image - SliceImage - 100.Tiff',
      '._SEM Image - SliceImage - 001.tif', // macOS resource fork
      '.hidden.tif',
      'ProjectData.dat',
      'notes.txt',
      'thumb.tif.bak',
    ]);
    mkdirSync(join(dir, 'sub.tif'));
    symlinkSync(join(dir, 'SEM Image - SliceImage - 010.tif'), join(dir, 'SEM Image - SliceImage - 011.tif'));
    const names = (await listStackFiles(dir)).map((p) => basename(p));
    expect(names).toEqual([
      'SEM Image - SliceImage - 001.tiff',
      'SEM Image - SliceImage - 002.TIF',
      'SEM Image - SliceImage - 010.tif',
      'SEM Image - SliceImage - 011.tif',
      'SEM Image - SliceImage - 100.Tiff',
    ]);
    expect((await listStackFiles(dir))[0]).toBe(join(dir, 'SEM Image - SliceImage - 001.tiff'));
  });

  it('missing folder: file_not_found; folder without TIFFs: empty_folder naming the folder and expected names', async () => {
    await expect(listStackFiles(join(tmp.dir, 'nope'))).rejects.toMatchObject({ tag: 'file_not_found', message: expect.stringContaining('nope') });
    const empty = folder('empty', ['a.png', '.x.tif', 'ProjectData.dat']);
    const err = await listStackFiles(empty).catch((e: unknown) => e);
    expect(err).toMatchObject({ tag: 'empty_folder', file: empty });
    expect((err as Error).message).toContain(empty);
    expect((err as Error).message).toMatch(/\.tif or \.tiff file per slice/);
  });

  it('naturalCompare: numbers by value, then leading zeros, text case-insensitive', () => {
    const sorted = ['b10', 'B2', 'a', 'a01', 'a1', 'a001b', 'a1b', 'a10', 'img-2.tif', 'img-12.tif'].sort(naturalCompare);
    expect(sorted).toEqual(['a', 'a1', 'a01', 'a1b', 'a001b', 'a10', 'B2', 'b10', 'img-2.tif', 'img-12.tif']);
  });
});
