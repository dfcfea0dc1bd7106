// Tag values read by byte ranges: numeric types in both byte orders and
// BigTIFF, text in UTF-8 and Latin-1, large payloads kept lazy, and real
// Thermo Fisher (FEI Helios) files with their INI metadata tag.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { bytesToText, tagText } from '../../src-main/tiff/tag-text';
import { runPython, tempDir } from '../helpers/python';
import { expectPlane } from './fixtures';
import { pageSpec, pixels } from './synthetic';
import { asciiEntry, writeTiff } from './tiff-writer';

const tmp = tempDir('fibrecon-tiff-tags-');
afterAll(() => tmp.cleanup());

describe('numeric tags (tifffile extratags)', () => {
  it.each([
    ['classic LE', false, '<'],
    ['BigTIFF BE', true, '>'],
  ])('%s', async (_l, big, order) => {
    const path = join(tmp.dir, `num_${big}.tif`);
    runPython(
      `
import sys, numpy as np, tifffile
tifffile.imwrite(sys.argv[1], np.zeros((4, 5), np.uint16), bigtiff=sys.argv[2] == 'true', byteorder=sys.argv[3],
    resolution=(2.5, 4.0), extratags=[
        (65000, 'Q' if sys.argv[2] == 'true' else 'I', 3, [1, 2**31 + 7, 5], False),
        (65001, 'd', 2, [1.5, -2.25], False),
        (65002, 'h', 2, [-3, 4], False),
        (65003, 'H', 1, 517, False),
        (65004, 'B', 3, b'abc', False),
    ])
`,
      [path, String(big), order],
    );
    const t = await openTiff(path);
    try {
      const tags = t.pages[0].tags;
      expect(t.bigTiff).toBe(big);
      expect(tags.get(65000)).toMatchObject({ type: big ? 16 : 4, count: 3, values: [1, 2 ** 31 + 7, 5] });
      expect(tags.get(65001)).toMatchObject({ type: 12, values: [1.5, -2.25] });
      expect(tags.get(65002)).toMatchObject({ type: 8, values: [-3, 4] });
      expect(tags.get(65003)).toMatchObject({ type: 3, count: 1, values: [517] });
      expect(Array.from(tags.get(65004)!.bytes!)).toEqual([97, 98, 99]);
      expect(tags.get(282)).toMatchObject({ type: 5, values: [2.5] });
      expect(tags.get(283)!.values![0]).toBe(4);
    } finally {
      await t.close();
    }
  });
});

describe('text tags', () => {
  it('UTF-8 when valid, else Latin-1 (ZEISS µ as 0xB5); trailing NULs stripped', async () => {
    const zeiss = Uint8Array.from([...Buffer.from('AP_WIDTH\r\nWidth = 25.24 ', 'latin1'), 0xb5, ...Buffer.from('m', 'latin1'), 0, 0]);
    const spec = pageSpec({ width: 8, height: 4, bits: 8, littleEndian: false, codec: 'none' }, pixels(8, 4, 8, 2), [
      { tag: 34118, type: 7, values: zeiss },
      { tag: 270, type: 2, values: Uint8Array.from([...Buffer.from('ImageJ=1.54f\nunit=\u00b5m\n', 'utf8'), 0]) },
      asciiEntry(305, 'fibrecon test'),
    ]);
    const path = join(tmp.dir, 'text.tif');
    writeFileSync(path, writeTiff([spec], { littleEndian: false }));
    const t = await openTiff(path);
    try {
      const p = t.pages[0];
      expect(tagText(p, 34118)).toBe('AP_WIDTH\r\nWidth = 25.24 µm');
      expect(tagText(p, 270)).toBe('ImageJ=1.54f\nunit=µm\n');
      expect(tagText(p, 305)).toBe('fibrecon test');
      expect(tagText(p, 256)).toBeUndefined(); // numeric tag
      expect(tagText(p, 999)).toBeUndefined();
    } finally {
      await t.close();
    }
    expect(bytesToText(Uint8Array.from([0xc3, 0xa9, 0]))).toBe('é'); // valid UTF-8
    expect(bytesToText(Uint8Array.from([0xe9, 0x80]))).toBe('\u00e9\u0080'); // Latin-1, byte for byte
  });

  it('payloads over the eager limit stay in the file until readTagBytes', async () => {
    const xml = Buffer.from(`<ATLAS3D>${'<Slice><ZPos>1.0</ZPos></Slice>'.repeat(40_000)}</ATLAS3D>`); // ~1.2 MB
    const spec = pageSpec({ width: 8, height: 4, bits: 16, littleEndian: true, codec: 'none' }, pixels(8, 4, 16, 2), [
      { tag: 51023, type: 7, values: new Uint8Array(xml) },
      asciiEntry(270, 'short description'),
    ]);
    const path = join(tmp.dir, 'lazy.tif');
    writeFileSync(path, writeTiff([spec]));
    const t = await openTiff(path);
    try {
      const tag = t.pages[0].tags.get(51023)!;
      expect(tag.bytes).toBeUndefined();
      expect(tag.count).toBe(xml.length);
      expect(tag.lazyOffset).toBeGreaterThan(0);
      expect(tagText(t.pages[0], 51023)).toBeUndefined();
      expect(Buffer.from((await t.readTagBytes(0, 51023))!).equals(xml)).toBe(true);
      expect(tagText(t.pages[0], 270)).toBe('short description');
    } finally {
      await t.close();
    }
    const small = await openTiff(path, { maxEagerTagBytes: 10 });
    try {
      expect(small.pages[0].tags.get(270)!.bytes).toBeUndefined();
      expect(bytesToText((await small.readTagBytes(0, 270))!)).toBe('short description');
    } finally {
      await small.close();
    }
  });
});

describe('Thermo Fisher / FEI Helios files (shared/testdata)', () => {
  const dir = join(tmp.dir, 'fei');
  let files: string[] = [];
  let ref: Record<string, { shape: number[]; dtype: string; tagOffset: number; tagCount: number }>;
  beforeAll(() => {
    execFileSync('unzip', ['-q', '-o', join(import.meta.dirname, '../../../shared/testdata/rosettasciio_tiff_FEI_Helios.zip'), '-d', dir]);
    files = readdirSync(dir).filter((f) => f.endsWith('.tif')).map((f) => join(dir, f));
    ref = JSON.parse(
      runPython(
        `
import json, sys, numpy as np, tifffile
out = {}
for path in sys.argv[1:]:
    with tifffile.TiffFile(path) as t:
        p = t.pages[0]
        a = p.asarray()
        a.astype(a.dtype.newbyteorder('<')).tofile(path + '.raw')
        tag = p.tags[34682]
        out[path] = dict(shape=list(a.shape), dtype=str(a.dtype), tagOffset=tag.valueoffset, tagCount=tag.count)
print(json.dumps(out))
`,
        files,
      ),
    );
  });

  it('pixels equal tifffile and tag 34682 holds the INI text', async () => {
    expect(files.length).toBe(5);
    for (const f of files) {
      const r = ref[f];
      const t = await openTiff(f);
      try {
        const p = t.pages[0];
        expect([p.height, p.width]).toEqual(r.shape);
        const raw = readFileSync(`${f}.raw`);
        const want = r.dtype === 'uint8' ? new Uint8Array(raw) : new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
        expectPlane(await t.readPage(0), want, p.width, p.height, r.dtype);
        const tag = p.tags.get(34682)!;
        expect(tag.count).toBe(r.tagCount);
        const fileBytes = readFileSync(f).subarray(r.tagOffset, r.tagOffset + r.tagCount);
        expect(Buffer.from(tag.bytes!).equals(fileBytes)).toBe(true);
        const ini = tagText(p, 34682)!;
        expect(ini).toMatch(/^\[User\]\r\nDate=/);
        expect(ini).toContain('\r\n[System]\r\n');
        if (f.includes('Ebeam')) expect(ini).toMatch(/\[Scan\]\r\n[^[]*PixelWidth=[\d.]+e-0\d\d/);
        expect(ini.endsWith('\0')).toBe(false);
      } finally {
        await t.close();
      }
    }
  });
});
