// Each refusal of the TIFF reader says what is wrong AND what to do: cut
// headers are reported as cut (not as "not a TIFF"), other formats are named,
// and broken directories point to copying or re-exporting the stack.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listStackFiles } from '../../src-main/tiff';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { tempDir } from '../helpers/python';
import { basicEntries, writeTiff, type Entry } from './tiff-writer';

const tmp = tempDir('fibrecon-tiff-messages-');
afterAll(() => tmp.cleanup());

const COPY = 'copy the file again from the microscope PC';
const REEXPORT = 're-export the stack as TIFF from the instrument software or Fiji (File > Save As > Tiff...)';
const COPY_OR_REEXPORT = `${COPY}; if the copy is the same, ${REEXPORT}`;

function file(name: string, bytes: Uint8Array | number[]): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, Uint8Array.from(bytes));
  return p;
}

/** The message of the error that opening and reading every page ends in. */
async function refusal(path: string): Promise<{ tag: string; message: string }> {
  let tiff;
  try {
    tiff = await openTiff(path);
    for (let i = 0; i < tiff.pages.length; i++) await tiff.readPage(i);
  } catch (e) {
    return { tag: (e as { tag: string }).tag, message: (e as Error).message };
  } finally {
    await tiff?.close();
  }
  throw new Error(`${path} opened without an error`);
}

/** A valid 8 x 4 grey page, with some entries replaced or removed. */
function page(change: (entries: Entry[]) => Entry[] = (e) => e, chunk = new Uint8Array(32)) {
  return { entries: change(basicEntries({ width: 8, height: 4, bits: 8 })), chunks: [chunk] };
}
const without = (tag: number) => (e: Entry[]) => e.filter((x) => x.tag !== tag);
const replace = (tag: number, values: number[], type: Entry['type'] = 4) => (e: Entry[]) => [...e.filter((x) => x.tag !== tag), { tag, type, values }];

describe('headers', () => {
  it('an empty file', async () => {
    expect(await refusal(file('empty.tif', []))).toEqual({ tag: 'corrupt_file', message: `empty.tif is empty (0 bytes): the copy did not finish; ${COPY}` });
  });

  it('a classic header cut at 1 to 7 bytes is "cut short", not "not a TIFF"', async () => {
    const full = writeTiff([page()]);
    for (let n = 1; n <= 7; n++) {
      expect(await refusal(file(`cut${n}.tif`, full.subarray(0, n)))).toEqual({
        tag: 'corrupt_file',
        message: `cut${n}.tif is cut short: it has ${n} byte${n === 1 ? '' : 's'}, fewer than the 8 bytes of a TIFF header alone; ${COPY}`,
      });
    }
    const be = writeTiff([page()], { littleEndian: false });
    expect((await refusal(file('cut_be.tif', be.subarray(0, 5)))).message).toBe(`cut_be.tif is cut short: it has 5 bytes, fewer than the 8 bytes of a TIFF header alone; ${COPY}`);
  });

  it('a BigTIFF header cut below 16 bytes', async () => {
    const big = writeTiff([page()], { bigTiff: true });
    for (const n of [4, 7, 8, 15]) {
      expect((await refusal(file(`bigcut${n}.tif`, big.subarray(0, n)))).message).toBe(
        `bigcut${n}.tif is cut short: it has ${n} bytes, fewer than the 16 bytes of a BigTIFF header alone; ${COPY}`,
      );
    }
  });

  it('other formats are named; unknown bytes are shown; both say what to do', async () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    expect((await refusal(file('slice.tif', png))).message).toBe(
      `slice.tif is not a TIFF file (it starts with 89 50 4e 47 0d 0a 1a 0a ".PNG....": it is a PNG image; a TIFF starts with "II*" or "MM*"): choose the TIFF files of the stack, or ${REEXPORT}`,
    );
    expect((await refusal(file('photo.tif', [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]))).message).toContain('it is a JPEG image');
    expect((await refusal(file('notes.tif', Buffer.from('hello, world')))).message).toBe(
      `notes.tif is not a TIFF file (it starts with 68 65 6c 6c 6f 2c 20 77 "hello, w"; a TIFF starts with "II*" or "MM*"): choose the TIFF files of the stack, or ${REEXPORT}`,
    );
    // Three bytes that do not begin a TIFF signature: not a TIFF (not "cut short").
    expect((await refusal(file('abc.tif', [0x61, 0x62, 0x63]))).message).toMatch(/^abc\.tif is not a TIFF file \(it starts with 61 62 63 "abc"/);
  });

  it('a TIFF byte order mark with another version number', async () => {
    expect((await refusal(file('v41.tif', [0x49, 0x49, 41, 0, 8, 0, 0, 0]))).message).toBe(
      `v41.tif is not a TIFF file: it starts with the TIFF byte order mark "II" but then the version number 41 instead of 42 (TIFF) or 43 (BigTIFF); the file is damaged or of another format: ${COPY_OR_REEXPORT}`,
    );
  });

  it('a malformed BigTIFF header', async () => {
    const big = writeTiff([page()], { bigTiff: true });
    new DataView(big.buffer).setUint16(4, 4, true);
    expect((await refusal(file('bigbad.tif', big))).message).toBe(`bigbad.tif has a malformed BigTIFF header (offset size 4, expected 8); ${COPY_OR_REEXPORT}`);
  });

  it('a first IFD offset of 0 (no image)', async () => {
    expect((await refusal(file('noimage.tif', [0x49, 0x49, 42, 0, 0, 0, 0, 0]))).message).toBe(
      `noimage.tif contains no image: its header points to no image directory (first IFD offset 0), as when the writing program stopped before saving an image; ${REEXPORT}`,
    );
  });
});

describe('image directories', () => {
  it('no valid size', async () => {
    expect((await refusal(file('nosize.tif', writeTiff([page(replace(256, [0]))])))).message).toBe(
      `nosize.tif is corrupt: image 1 has no valid size (width 0, height 4); ${COPY_OR_REEXPORT}`,
    );
    expect((await refusal(file('noheight.tif', writeTiff([page(without(257))])))).message).toBe(
      `noheight.tif is corrupt: image 1 has no valid size (width 8, height 0); ${COPY_OR_REEXPORT}`,
    );
  });

  it('tiles of invalid size, missing strip offsets, too few strips or byte counts', async () => {
    const tiles = page((e) => [...e, { tag: 322, type: 4, values: [0] }, { tag: 323, type: 4, values: [16] }]);
    expect((await refusal(file('tiles.tif', writeTiff([{ ...tiles, offsetsTag: 324 }])))).message).toBe(`tiles.tif is corrupt: image 1 has tiles of invalid size 0 x 16; ${COPY_OR_REEXPORT}`);
    const twoStrips = page(replace(278, [2]));
    expect((await refusal(file('strips.tif', writeTiff([twoStrips])))).message).toBe(`strips.tif is corrupt: image 1 lists 1 strips but needs 2; ${COPY_OR_REEXPORT}`);
  });

  it('an RGB page with one sample, a palette page without a full ColorMap', async () => {
    const rgb = page(replace(262, [2], 3));
    expect((await refusal(file('rgb.tif', writeTiff([rgb])))).message).toBe(`rgb.tif is corrupt: RGB image with 1 samples per pixel (RGB needs 3); ${COPY_OR_REEXPORT}`);
    const palette = page((e) => [...replace(262, [3], 3)(e), { tag: 320, type: 3, values: [1, 2, 3] }]);
    expect((await refusal(file('palette.tif', writeTiff([palette])))).message).toBe(
      `palette.tif is corrupt: palette image without a complete ColorMap (the table of its colours); ${COPY_OR_REEXPORT}`,
    );
  });
});

describe('paths and crops', () => {
  it('a folder given as a file, a file given as a folder', async () => {
    const folder = join(tmp.dir, 'slices');
    mkdirSync(folder);
    await expect(openTiff(folder)).rejects.toMatchObject({
      tag: 'invalid_input',
      message: `${folder} is a folder, not a TIFF file: to import a folder of slices, give the folder alone (not in a list of files).`,
    });
    const one = file('one.tif', writeTiff([page()]));
    await expect(listStackFiles(one)).rejects.toMatchObject({
      message: `${one} is a file, not a folder of slice images: give the file itself (a multipage TIFF), or the folder that holds the slices.`,
    });
  });

  it('a crop outside the image', async () => {
    const tiff = await openTiff(file('crop.tif', writeTiff([page()])));
    await expect(tiff.readPage(0, { crop: { x: 4, y: 0, width: 8, height: 4 } })).rejects.toMatchObject({
      message: 'Crop x=4 y=0 width=8 height=4 does not lie inside image 1 of crop.tif (8 x 4 pixels): choose a region inside the image.',
    });
    await tiff.close();
  });
});
