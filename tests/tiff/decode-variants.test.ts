// Every layout tifffile can write here, read pixel-exact against the arrays
// tifffile wrote (and read back): byte orders, strips, tiles, Deflate,
// predictor, multipage, BigTIFF, ImageJ, RGB, palette, MinIsWhite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { tempDir } from '../helpers/python';
import { cropOf, expectPlane, expectedPlanes, makeFixtures, type FixtureSet } from './fixtures';

const tmp = tempDir('fibrecon-tiff-variants-');
let set: FixtureSet;
beforeAll(() => {
  set = makeFixtures(tmp.dir);
});
afterAll(() => tmp.cleanup());

const NAMES = [
  'u8_le', 'u16_le', 'u8_be', 'u16_be', 'u16_multipage', 'u16_be_multipage', 'u8_multipage_rps3', 'u16_rps5', 'u8_rps1',
  'u16_zlib', 'u8_deflate32946', 'u16_zlib_pred', 'u16_be_zlib_pred_rps7', 'u8_zlib_pred_rps7', 'u16_multipage_zlib',
  'u8_tiles', 'u16_tiles', 'u16_be_tiles_zlib_pred', 'u16_tiles_multipage', 'bigtiff_u16', 'bigtiff_be_u8_zlib',
  'bigtiff_u16_tiles', 'imagej_u16', 'imagej_u8', 'rgb_u8', 'rgb_u16_be', 'rgb_u8_planar', 'rgb_u16_planar_zlib_pred',
  'rgba_u8_tiles', 'palette_u8', 'miniswhite_u8', 'miniswhite_u16_zlib',
];

describe('tifffile-written variants', () => {
  it('the fixture script wrote every variant the tests name', () => {
    expect(set.fixtures.map((f) => f.name).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('%s: every page, pixel-exact', async (name) => {
    const f = set.fixtures.find((x) => x.name === name)!;
    const tiff = await openTiff(f.tif);
    try {
      expect(tiff.pages.length).toBe(f.pages);
      expect(tiff.byteOrder).toBe(f.info.byteorder === '>' ? 'BE' : 'LE');
      expect(tiff.bigTiff).toBe(f.info.bigtiff);
      const p0 = tiff.pages[0];
      expect({ w: p0.width, h: p0.height, c: p0.compression, pr: p0.predictor, t: p0.tiled }).toEqual({
        w: f.width, h: f.height, c: f.info.compression, pr: f.info.predictor, t: f.info.tiled,
      });
      const want = expectedPlanes(f);
      for (let i = 0; i < f.pages; i++) {
        const plane = await tiff.readPage(i);
        expectPlane(plane, want[i], f.width, f.height, f.dtype);
      }
    } finally {
      await tiff.close();
    }
  });

  it.each(['u16_le', 'u16_rps5', 'u16_be_tiles_zlib_pred', 'u8_zlib_pred_rps7', 'rgb_u16_planar_zlib_pred', 'u16_multipage'])(
    '%s: crops match the same window of the full plane',
    async (name) => {
      const f = set.fixtures.find((x) => x.name === name)!;
      const want = expectedPlanes(f)[f.pages - 1];
      const tiff = await openTiff(f.tif);
      try {
        const windows = [
          { x: 0, y: 0, width: f.width, height: f.height },
          { x: 3, y: 5, width: 11, height: 7 },
          { x: f.width - 4, y: f.height - 9, width: 4, height: 9 },
          { x: 0, y: f.height - 3, width: f.width, height: 3 },
          { x: 16, y: 16, width: 1, height: 1 },
        ];
        for (const c of windows) {
          const plane = await tiff.readPage(f.pages - 1, { crop: c });
          expectPlane(plane, cropOf(want, f.width, c.x, c.y, c.width, c.height), c.width, c.height, f.dtype);
        }
      } finally {
        await tiff.close();
      }
    },
  );

  it('notices say what was converted; plain grey has none', async () => {
    const notes = async (name: string) => {
      const t = await openTiff(set.fixtures.find((x) => x.name === name)!.tif);
      try {
        return (await t.readPage(0)).notices.join(' ');
      } finally {
        await t.close();
      }
    };
    expect(await notes('u16_le')).toBe('');
    expect(await notes('rgb_u8')).toMatch(/RGB to grey.*0\.299 R \+ 0\.587 G \+ 0\.114 B/);
    expect(await notes('rgba_u8_tiles')).toMatch(/Ignored 1 extra sample/);
    expect(await notes('palette_u8')).toMatch(/palette.*grey/);
    expect(await notes('miniswhite_u8')).toMatch(/Inverted.*MinIsWhite/);
  });

  it('decodes into a caller buffer, reused page after page', async () => {
    const f = set.fixtures.find((x) => x.name === 'u16_multipage')!;
    const want = expectedPlanes(f);
    const tiff = await openTiff(f.tif);
    try {
      const buf = new Uint16Array(f.width * f.height + 10);
      for (let i = 0; i < f.pages; i++) {
        const plane = await tiff.readPage(i, { target: buf });
        expect(plane.data.buffer).toBe(buf.buffer);
        expectPlane(plane, want[i], f.width, f.height, 'uint16');
      }
      await expect(tiff.readPage(0, { target: new Uint8Array(f.width * f.height) })).rejects.toMatchObject({ tag: 'invalid_input' });
    } finally {
      await tiff.close();
    }
  });
});
