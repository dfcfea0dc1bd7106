// Extra tags, slice sources, progress, cancel and failures (no partial file left).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SliceArray } from '../../src-shared/dtype';
import { partialPathOf, writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { randomSlices, stackInfo } from './fixtures';
import { readWithTifffile, slicesSha256 } from './tifffile-reader';

const tmp = tempDir('fibrecon-tiffw-opt-');
afterAll(() => tmp.cleanup());

const FEI_INI = '[User]\r\nDate=01/02/2024\r\n[Beam]\r\nHV=2000\r\n[Scan]\r\nPixelWidth=3.3724e-009\r\nPixelHeight=3.3724e-009\r\n[Image]\r\nResolutionX=30\r\nResolutionY=20\r\n';

function noFilesFor(path: string): void {
  expect(existsSync(path)).toBe(false);
  expect(existsSync(partialPathOf(path))).toBe(false);
}

describe('extra tags', () => {
  it('are readable as text by tifffile, on every page or on the first only', async () => {
    const [nz, ny, nx] = [4, 20, 30];
    const slices = randomSlices('uint8', nz, ny, nx, 5);
    const path = join(tmp.dir, 'tags.tif');
    const long = 'ZPos=' + '1234.5;'.repeat(4000); // ~28 kB: beyond where UTIF.encode truncates
    await writeTiffStack(path, stackInfo('uint8', nz, ny, nx), slices, {
      extraTags: [
        { tag: 34682, text: FEI_INI },
        { tag: 51023, text: long, pages: 'first' },
      ],
    });
    const r = readWithTifffile(path, [34682, 51023]);
    expect(r.sha256).toBe(slicesSha256(slices));
    expect(r.first['34682']).toBe(FEI_INI);
    expect(r.last['34682']).toBe(FEI_INI);
    expect(r.first['51023']).toBe(long);
    expect(r.last['51023']).toBeNull();
    expect(r.is_imagej).toBe(true);
  });

  it('rejects tags the writer sets itself, duplicates and NUL text', async () => {
    const info = stackInfo('uint8', 1, 2, 2);
    const s = randomSlices('uint8', 1, 2, 2);
    const path = join(tmp.dir, 'badtag.tif');
    for (const extraTags of [
      [{ tag: 270, text: 'x' }],
      [{ tag: 34682, text: 'a' }, { tag: 34682, text: 'b' }],
      [{ tag: 34682, text: 'a\0b' }],
      [{ tag: 70000, text: 'a' }],
    ]) {
      await expect(writeTiffStack(path, info, s, { extraTags })).rejects.toMatchObject({ tag: 'invalid_input' });
      noFilesFor(path);
    }
  });
});

describe('slice sources and progress', () => {
  const [nz, ny, nx] = [5, 9, 11];
  const slices = randomSlices('uint16', nz, ny, nx, 8);

  async function* gen(): AsyncGenerator<SliceArray> {
    for (const s of slices) {
      await new Promise((r) => setTimeout(r, 1));
      yield s;
    }
  }

  const sources: [string, () => Parameters<typeof writeTiffStack>[2]][] = [
    ['array', () => slices],
    ['async generator', () => gen()],
    ['function of z', () => async (z: number) => slices[z]],
  ];
  for (const [name, source] of sources) {
    it(`${name}: same file, progress reaches total`, async () => {
      const path = join(tmp.dir, `src-${name.replace(/ /g, '-')}.tif`);
      const progress: [number, number][] = [];
      await writeTiffStack(path, stackInfo('uint16', nz, ny, nx), source(), { onProgress: (d, t) => progress.push([d, t]) });
      expect(progress).toEqual([1, 2, 3, 4, 5].map((d) => [d, nz]));
      expect(readWithTifffile(path).sha256).toBe(slicesSha256(slices));
    });
  }
});

describe('cancel and failures remove the partial file', () => {
  const [nz, ny, nx] = [6, 16, 16];
  const info = stackInfo('uint8', nz, ny, nx);
  const slices = randomSlices('uint8', nz, ny, nx, 9);

  it('cancel mid-way: AppError cancelled, no file, no .partial', async () => {
    const path = join(tmp.dir, 'cancel.tif');
    const ac = new AbortController();
    let sawPartial = false;
    const source = async (z: number): Promise<SliceArray> => {
      if (z === 3) {
        sawPartial = existsSync(partialPathOf(path));
        ac.abort();
      }
      return slices[z];
    };
    await expect(writeTiffStack(path, info, source, { signal: ac.signal })).rejects.toMatchObject({ tag: 'cancelled' });
    expect(sawPartial).toBe(true);
    noFilesFor(path);
  });

  it('already aborted signal writes nothing', async () => {
    const path = join(tmp.dir, 'cancel0.tif');
    await expect(writeTiffStack(path, info, slices, { signal: AbortSignal.abort() })).rejects.toMatchObject({ tag: 'cancelled' });
    noFilesFor(path);
  });

  it('cancel keeps an existing file of the same name untouched', async () => {
    const path = join(tmp.dir, 'keep.tif');
    await writeTiffStack(path, info, slices);
    const ac = new AbortController();
    const other = randomSlices('uint8', nz, ny, nx, 99);
    await expect(
      writeTiffStack(path, info, other, { signal: ac.signal, onProgress: (d) => d === 2 && ac.abort() }),
    ).rejects.toMatchObject({ tag: 'cancelled' });
    expect(existsSync(partialPathOf(path))).toBe(false);
    expect(readWithTifffile(path).sha256).toBe(slicesSha256(slices));
  });

  it('a failing source, a wrong-sized slice, a wrong dtype or too few / too many slices', async () => {
    const cases: [string, Parameters<typeof writeTiffStack>[2], string][] = [
      ['throws', async (z: number) => { if (z === 2) throw new Error('disk gone'); return slices[z]; }, 'disk gone'],
      ['size', (z: number) => (z === 4 ? new Uint8Array(10) : slices[z]), 'size_mismatch'],
      ['dtype', (z: number) => (z === 1 ? new Uint16Array(ny * nx) : slices[z]), 'invalid_input'],
      ['few', slices.slice(0, 4), 'size_mismatch'],
      ['many', [...slices, slices[0]], 'size_mismatch'],
    ];
    for (const [name, source, expected] of cases) {
      const path = join(tmp.dir, `fail-${name}.tif`);
      const err = await writeTiffStack(path, info, source).then(
        () => undefined,
        (e: unknown) => e as Error & { tag?: string },
      );
      expect(err, name).toBeInstanceOf(Error);
      expect(err?.tag === expected || err?.message === expected, name).toBe(true);
      noFilesFor(path);
    }
  });

  it('a missing folder is reported as such', async () => {
    const path = join(tmp.dir, 'no-such-folder', 'x.tif');
    await expect(writeTiffStack(path, info, slices)).rejects.toMatchObject({ tag: 'file_not_found' });
  });

  it('invalid stack info is rejected before writing', async () => {
    const path = join(tmp.dir, 'badinfo.tif');
    await expect(
      writeTiffStack(path, { ...info, voxelSizeNm: { x: 0, y: 1, z: 1 } }, slices),
    ).rejects.toMatchObject({ tag: 'invalid_input' });
    noFilesFor(path);
  });

  it('leaves no stray files in the folder', () => {
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
