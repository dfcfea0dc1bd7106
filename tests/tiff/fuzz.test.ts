// Damaged files (random bytes flipped, cut at random places) must end in a
// result or a tagged AppError, never an untagged crash or a hang.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { tempDir } from '../helpers/python';
import { makeFixtures, type FixtureSet } from './fixtures';
import { pageSpec, pixels, rng } from './synthetic';
import { writeTiff } from './tiff-writer';

const tmp = tempDir('fibrecon-tiff-fuzz-');
let set: FixtureSet;
const extra: string[] = [];
beforeAll(() => {
  mkdirSync(join(tmp.dir, 'fx'));
  set = makeFixtures(join(tmp.dir, 'fx'));
  for (const codec of ['lzw', 'packbits'] as const) {
    const p = join(tmp.dir, `${codec}.tif`);
    const img = { width: 40, height: 30, bits: 16 as const, littleEndian: true, codec, rowsPerStrip: 8, predictor: codec === 'lzw' };
    writeFileSync(p, writeTiff([pageSpec(img, pixels(40, 30, 16, 9)), pageSpec(img, pixels(40, 30, 16, 10))]));
    extra.push(p);
  }
});
afterAll(() => tmp.cleanup());

async function readAll(path: string): Promise<'ok' | string> {
  try {
    const t = await openTiff(path);
    try {
      for (let i = 0; i < Math.min(t.pages.length, 50); i++) await t.readPage(i);
    } finally {
      await t.close();
    }
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.tag;
    return `UNTAGGED ${(e as Error).stack}`;
  }
}

describe('damaged files', () => {
  it('400 mutations of 10 files: only results or tagged errors', async () => {
    const names = ['u16_le', 'u16_be_multipage', 'u16_be_zlib_pred_rps7', 'u16_be_tiles_zlib_pred', 'bigtiff_be_u8_zlib', 'imagej_u16', 'rgb_u16_planar_zlib_pred', 'palette_u8'];
    const sources = [...names.map((n) => set.fixtures.find((f) => f.name === n)!.tif), ...extra];
    const r = rng(12345);
    const outcomes = new Map<string, number>();
    const bad: string[] = [];
    for (let k = 0; k < 400; k++) {
      const src = readFileSync(sources[k % sources.length]);
      let b: Uint8Array = Uint8Array.from(src);
      const mode = k % 4;
      if (mode === 0) b = b.subarray(0, Math.floor(r() * b.length)); // cut
      const flips = mode === 1 ? 1 : mode === 2 ? 8 : 3;
      // flips mostly in the first 512 bytes (header, IFD, tag values), some anywhere
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(r() * (r() < 0.7 ? Math.min(512, b.length) : b.length));
        if (at < b.length) b[at] = Math.floor(r() * 256);
      }
      const path = join(tmp.dir, `m${k}.tif`);
      writeFileSync(path, b);
      const o = await readAll(path);
      outcomes.set(o.startsWith('UNTAGGED') ? 'untagged' : o, (outcomes.get(o) ?? 0) + 1);
      if (o.startsWith('UNTAGGED')) bad.push(`${sources[k % sources.length]} mutation ${k}: ${o}`);
    }
    expect(bad.slice(0, 3)).toEqual([]);
    // the damage was real: many mutations were refused as corrupt
    expect(outcomes.get('corrupt_file') ?? 0).toBeGreaterThan(100);
  });
});
