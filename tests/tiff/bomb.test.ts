// Decompression bombs: small, valid-looking TIFFs whose pixels would take far
// more memory than the file. (1) A strip whose compressed data inflates past
// the size the strip's geometry declares (Deflate, LZW, PackBits) is refused
// while decoding, after at most the declared bytes. (2) A page that declares
// a huge image (1.2 GB in a 30 kB file) is refused by the import's memory
// budget before a pixel is read; a crop of it imports. The CLI runs in a child
// process whose peak memory (maxRSS) is measured.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { CLI_ENV, REPO, cliOk } from '../cli/run-cli';
import { tempDir } from '../helpers/python';
import { encodeLzw } from './lzw-encode';
import { basicEntries, writeTiff, type PageSpec } from './tiff-writer';

const tmp = tempDir('fibrecon-bomb-');
afterAll(() => tmp.cleanup());

/** Peak memory allowed to a CLI run that must refuse a bomb (the CLI alone takes about 110 MB). */
const MAX_RSS_MB = 300;

/** Deflate stream of `bytes` zeros, built in 1 MB steps (the zeros are never held at once). */
function deflatedZeros(bytes: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const d = createDeflate({ level: 9 });
    const parts: Buffer[] = [];
    d.on('data', (c: Buffer) => parts.push(c));
    d.on('end', () => done(Buffer.concat(parts)));
    d.on('error', fail);
    const mb = Buffer.alloc(1 << 20);
    for (let i = 0; i < bytes >> 20; i++) d.write(mb);
    d.end();
  });
}

/** A 256 x 256 8-bit page (64 kB declared) whose one strip holds `data` compressed with `compression`. */
function smallPage(data: Uint8Array, compression: number): PageSpec {
  return { entries: basicEntries({ width: 256, height: 256, bits: 8, compression }), chunks: [data] };
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function readFailure(path: string): Promise<{ error: { tag: string; message: string }; ms: number }> {
  const t0 = performance.now();
  const tiff = await openTiff(path);
  try {
    for (let i = 0; i < tiff.pages.length; i++) await tiff.readPage(i);
  } catch (e) {
    return { error: e as { tag: string; message: string }, ms: performance.now() - t0 };
  } finally {
    await tiff.close();
  }
  throw new Error(`${path} was read without an error`);
}

interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssMB: number;
  seconds: number;
}

/** The CLI in a child process, with its peak memory (tests/tiff/cli-peak-memory.ts). */
function measuredCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'tests/tiff/cli-peak-memory.ts'), ...args],
      { cwd: REPO, env: { ...CLI_ENV, ...env }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        const maxRssMB = last.startsWith('{"maxRssMB"') ? (JSON.parse(last) as { maxRssMB: number }).maxRssMB : Number.NaN;
        const e = err as (Error & { code?: number }) | null;
        done({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : null, stdout, stderr, maxRssMB, seconds: (performance.now() - t0) / 1000 });
      },
    );
  });
}

describe('a strip that inflates past its declared size', () => {
  let deflateBomb: string;
  let deflateBytes: number;
  beforeAll(async () => {
    // 256 MB of zeros in a 64 kB strip, as page 2 of 2 (page 1 is fine).
    const zeros = await deflatedZeros(256 << 20);
    deflateBytes = zeros.length;
    const ok = smallPage(deflateSync(new Uint8Array(256 * 256).fill(7)), 8);
    deflateBomb = file('deflate_bomb.tif', writeTiff([ok, smallPage(zeros, 8)]));
  });

  it('Deflate: refused after the declared 65536 bytes, naming the image and strip, in well under a second', async () => {
    expect(deflateBytes).toBeLessThan(300_000); // the file is small; the data would be 256 MB
    const { error, ms } = await readFailure(deflateBomb);
    expect(error.tag).toBe('corrupt_file');
    expect(error.message).toBe(
      'deflate_bomb.tif is corrupt: image 2, strip 1 decompresses to more than the 65536 bytes its size (256 px x 256 row strip, 8-bit) declares, ' +
        'which no TIFF writer produces (a damaged file, or a decompression bomb); reading stopped there. ' +
        'Copy the file again from the microscope PC; if the copy is the same, re-export the stack as TIFF from the instrument software or Fiji (File > Save As > Tiff...)',
    );
    expect(ms).toBeLessThan(1000);
  });

  it('LZW and PackBits: refused the same way (16 MB of zeros in a 64 kB strip)', async () => {
    const lzw = file('lzw_bomb.tif', writeTiff([smallPage(encodeLzw(new Uint8Array(16 << 20)), 5)]));
    // PackBits: header -127 repeats the next byte 128 times.
    const packBits = new Uint8Array(2 * ((16 << 20) / 128));
    for (let i = 0; i < packBits.length; i += 2) packBits[i] = 0x81;
    const pb = file('packbits_bomb.tif', writeTiff([smallPage(packBits, 32773)]));
    for (const [path, name] of [[lzw, 'lzw_bomb.tif'], [pb, 'packbits_bomb.tif']]) {
      const { error, ms } = await readFailure(path);
      expect(error.tag).toBe('corrupt_file');
      expect(error.message).toMatch(new RegExp(`^${name.replace('.', '\\.')} is corrupt: strip 1 decompresses to more than the 65536 bytes its size \\(256 px x 256 row strip, 8-bit\\) declares`));
      expect(ms).toBeLessThan(1000);
    }
  });

  it('`fibrecon import` exits 1 with that message and stays under 300 MB of memory', async () => {
    const project = join(tmp.dir, 'strip-bomb.fibrecon');
    await cliOk(['create', project]);
    const r = await measuredCli(['import', project, deflateBomb, '--pixel-size-nm', '5']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('deflate_bomb.tif is corrupt: image 2, strip 1 decompresses to more than the 65536 bytes');
    expect(r.maxRssMB).toBeLessThan(MAX_RSS_MB);
    console.log(`strip bomb (256 MB in a ${deflateBytes}-byte strip): import refused, peak RSS ${r.maxRssMB.toFixed(0)} MB, ${r.seconds.toFixed(1)} s`);
  });
});

describe('a page that declares a 1.2 GB image', () => {
  const width = 60_000;
  const height = 20_000;
  const rps = 16;
  let bomb: string;
  beforeAll(() => {
    // 1250 strips of 16 rows (960 kB each) that all point at one compressed strip of zeros: a valid TIFF of about 15 kB.
    const strip = deflateSync(new Uint8Array(width * rps));
    const strips = Math.ceil(height / rps);
    const page: PageSpec = {
      entries: basicEntries({ width, height, bits: 8, compression: 8, rowsPerStrip: rps }),
      chunks: [],
      externalOffsets: new Array(strips).fill(8),
      byteCounts: new Array(strips).fill(strip.length),
    };
    const withStrip = writeTiff([page], { leading: strip });
    bomb = file('declared_huge.tif', withStrip);
  });

  it('is read correctly in a crop (the file is valid)', async () => {
    const tiff = await openTiff(bomb);
    expect(tiff.fileSize).toBeLessThan(100_000);
    expect(tiff.pages[0]).toMatchObject({ width, height });
    const plane = await tiff.readPage(0, { crop: { x: 100, y: 19_000, width: 300, height: 200 } });
    await tiff.close();
    expect(plane.data.length).toBe(300 * 200);
    expect(plane.data.every((v) => v === 0)).toBe(true);
  });

  it('`fibrecon import` refuses it before reading, under 300 MB, saying how to get it in; a crop imports', async () => {
    const project = join(tmp.dir, 'declared.fibrecon');
    await cliOk(['create', project]);
    const r = await measuredCli(['import', project, bomb, '--pixel-size-nm', '5']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /declared_huge\.tif is 60000 x 20000 px uint8: reading one slice needs about \d+ MB, more than the import's memory budget of 2048 MB\. Import a region of it \(--crop X,Y,W,H\), or raise the budget \(FIBRECON_IMPORT_MEMORY_MB=\d+\)/,
    );
    expect(r.maxRssMB).toBeLessThan(MAX_RSS_MB);
    console.log(`declared 1.2 GB page: import refused, peak RSS ${r.maxRssMB.toFixed(0)} MB, ${r.seconds.toFixed(1)} s`);

    // The remedy the message names: a region of the same file imports.
    const crop = await measuredCli(['import', project, bomb, '--pixel-size-nm', '5', '--crop', '1000,500,2000,1500', '--name', 'roi']);
    expect(crop.code, crop.stderr).toBe(0);
    console.log(`crop of it: imported, peak RSS ${crop.maxRssMB.toFixed(0)} MB`);
    // A successful import also starts its compression and checksum workers (about 40 MB each): far below the 1.2 GB page all the same.
    expect(crop.maxRssMB).toBeLessThan(400);
    const p = openProject(project, { write: false });
    const v = getVolume(p.db, 'roi');
    expect(v.shape).toEqual([1, 1500, 2000]);
    const slice = await readSlice(p.db, v, 0);
    p.close();
    expect(slice.length).toBe(2000 * 1500);
    expect(slice.every((x) => x === 0)).toBe(true);
  });
});
