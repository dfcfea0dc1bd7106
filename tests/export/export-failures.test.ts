// Cancel and error paths leave no file behind; uniform formats refuse
// uneven z; the stacked-slices export keeps it.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMATS, exportVolume, type ExportFormatId } from '../../src-main/export';
import { tempDir } from '../helpers/python';
import { readWithPython, testVolume } from './export-helpers';

const { dir, cleanup } = tempDir('fibrecon-export-fail-');
afterAll(cleanup);

const pathFor = (sub: string, id: string) => join(sub, `vol${EXPORT_FORMATS.find((f) => f.id === id)!.extensions[0]}`);

describe('cancel and errors', () => {
  for (const { id } of EXPORT_FORMATS) {
    it(`${id}: cancel after 2 of 5 slices leaves the folder empty`, async () => {
      const sub = join(dir, `cancel-${id}`);
      mkdirSync(sub);
      const ac = new AbortController();
      const run = exportVolume(id, pathFor(sub, id), testVolume('uint16'), {
        signal: ac.signal,
        onProgress: (done) => done === 2 && ac.abort(),
      });
      await expect(run).rejects.toMatchObject({ tag: 'cancelled' });
      expect(readdirSync(sub)).toEqual([]);
    });

    it(`${id}: a slice of the wrong size fails and leaves the folder empty`, async () => {
      const sub = join(dir, `bad-${id}`);
      mkdirSync(sub);
      const volume = testVolume('uint8');
      const slices = volume.slices as Uint8Array[];
      const run = exportVolume(id, pathFor(sub, id), { ...volume, slices: (z: number) => (z === 3 ? new Uint8Array(5) : slices[z]) });
      await expect(run).rejects.toMatchObject({ tag: 'size_mismatch' });
      expect(readdirSync(sub)).toEqual([]);
    });
  }

  it('unknown format and label options on a format without labels are refused', async () => {
    await expect(exportVolume('vtk', join(dir, 'v.vtk'), testVolume('uint8'))).rejects.toMatchObject({ tag: 'invalid_input' });
    await expect(exportVolume('nrrd', join(dir, 'v.nrrd'), testVolume('uint8'), {}, { labels: true })).rejects.toMatchObject({ tag: 'invalid_input' });
  });
});

describe('non-uniform z', () => {
  const uneven = [0, 10, 22, 30, 41];
  for (const f of EXPORT_FORMATS) {
    it(`${f.id} ${f.supportsNonUniformZ ? 'keeps' : 'refuses'} uneven slice positions`, async () => {
      const sub = join(dir, `uneven-${f.id}`);
      mkdirSync(sub);
      const volume = { ...testVolume('uint8'), zPositionsNm: uneven };
      const run = exportVolume(f.id as ExportFormatId, pathFor(sub, f.id), volume);
      if (!f.supportsNonUniformZ) {
        await expect(run).rejects.toMatchObject({ tag: 'invalid_input', message: expect.stringMatching(/stacked-slices/) });
        expect(readdirSync(sub)).toEqual([]);
        return;
      }
      await run;
      expect(readWithPython(f.id, pathFor(sub, f.id), dir).z_nm).toEqual(uneven);
    });
  }

  it('tolerates rounding noise below 1e-6 relative', async () => {
    const sub = join(dir, 'noise');
    mkdirSync(sub);
    const volume = { ...testVolume('uint8'), zPositionsNm: [0, 10 + 1e-7, 20, 30 - 1e-7, 40] };
    await expect(exportVolume('nrrd', join(sub, 'v.nrrd'), volume)).resolves.toBeDefined();
  });
});
