// The inputs of the fuzz suite (tests/reliability/fuzz-inputs.test.ts), made
// from a seed: a valid TIFF cut at sampled offsets (header, directories, strip
// data), directories with wrong counts, offsets past the end and loops, random
// bytes changed in the directories, Deflate bombs and pages that declare
// gigabytes; thickness tables with a 5 MB row, 100 000 rows or binary garbage;
// ProjectData.dat nested 10 000 deep, garbage or cut; project files that are
// random bytes, empty, another SQLite database, cut short, from a newer
// fibrecon, or with one bit flipped in a stored slice.
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { random } from '../helpers/random';
import { layoutTiff, onePageTiff, patternStrips, withValue, type TiffLayout } from './fuzz-tiff';

/** What a case runs and what it checks. */
export interface FuzzCase {
  name: string;
  /** The CLI's arguments. */
  args: string[];
  /** Files whose bytes must be unchanged afterwards: the project given to the command (or the hostile project itself), the input. */
  unchanged: string[];
  /** What the message must contain to say what is wrong: the file's name, as a rule. */
  names: string;
  /**
   * 'refused' (default): exit 1 with a message and a remedy, every file in `unchanged` keeps its bytes.
   * 'failed-run': the same, except that the project (unchanged[0]) may also hold one more run record,
   * marked failed with that message, and nothing else: damage that only decoding finds, after the
   * import has recorded its run (docs/reliability.md, "Refusals write nothing": failures of the work
   * keep their failed record). 'either': a random change that may leave a valid file: exit 0, or as
   * 'refused'. 'ok': the control, exit 0.
   */
  expect?: 'refused' | 'failed-run' | 'either' | 'ok';
  /** Files that must not exist afterwards (an export that must write nothing). */
  absent?: string[];
}

export const BASE = { pages: 6, width: 64, height: 48, rowsPerStrip: 16 } as const;

/** The valid TIFF every TIFF case starts from: 6 pages of 64 x 48 16-bit, 3 strips per page, uncompressed. */
export function baseTiff(deflate = false): TiffLayout {
  return layoutTiff({ ...BASE, bits: 16, compression: deflate ? 8 : 1, strips: patternStrips({ ...BASE, deflate }) });
}

/** An integer in [lo, hi). */
const between = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo));

export interface FuzzPlaces {
  dir: string;
  /** A fresh copy of a project with nothing imported, for each case that imports. */
  emptyProject: (name: string) => string;
  /** A fresh copy of the project holding "grey" (BASE.pages slices), for each case that needs one. */
  greyProject: (name: string) => string;
  /** The project holding "grey", never written to (read-only cases share it). */
  greyShared: string;
}

export function tiffCases(seed: number, at: FuzzPlaces): FuzzCase[] {
  const r = random(seed);
  const cases: FuzzCase[] = [];
  const base = baseTiff();
  const file = (name: string, bytes: Uint8Array) => {
    const p = join(at.dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const importCase = (name: string, bytes: Uint8Array, expect: FuzzCase['expect'] = 'refused'): FuzzCase => {
    const tif = file(`${name}.tif`, bytes);
    const project = at.emptyProject(name);
    const unchanged = expect === 'refused' || expect === 'failed-run' ? [project, tif] : [tif];
    return { name: `import ${name}.tif`, args: ['import', project, tif, '--name', 'grey', '--pixel-size-nm', '5', '--slice-spacing-nm', '10'], unchanged, names: `${name}.tif`, expect };
  };
  const inspectCase = (name: string, bytes: Uint8Array): FuzzCase => {
    const tif = file(`${name}.tif`, bytes);
    return { name: `inspect ${name}.tif`, args: ['inspect', tif], unchanged: [tif], names: `${name}.tif` };
  };

  // The control: the file itself imports.
  cases.push(importCase('valid', base.bytes, 'ok'));

  // Cut short: in the header and the directories (import and inspect refuse it before reading pixels),
  // in the strip data (uncompressed and Deflate; found while reading the pixels, after the run is recorded).
  const n = base.bytes.length;
  const hk = between(r, 1, 8);
  const ik = between(r, 8, base.dataStart);
  const dk = between(r, base.dataStart, n);
  cases.push(importCase(`cut-header-${hk}`, base.bytes.subarray(0, hk)));
  cases.push(inspectCase(`cut-ifd-${ik}`, base.bytes.subarray(0, ik)));
  cases.push(importCase(`cut-data-${dk}`, base.bytes.subarray(0, dk), 'failed-run'));
  const deflated = baseTiff(true);
  const fk = between(r, deflated.dataStart, deflated.bytes.length);
  cases.push(importCase(`deflate-cut-data-${fk}`, deflated.bytes.subarray(0, fk), 'failed-run'));
  // A Deflate strip whose middle is garbage (the stream does not decode): only decoding can tell.
  {
    const b = deflated.bytes.slice();
    const [off, count] = deflated.strips[3][1];
    for (let i = off + 2; i < off + count - 4; i++) b[i] = Math.floor(r() * 256);
    cases.push(importCase('deflate-garbage-strip', b, 'failed-run'));
  }

  // Broken directories.
  const p = between(r, 1, BASE.pages); // a page other than the first
  const entry = (page: number, tag: number) => base.entryAt[page].get(tag)!;
  // Each with the command that meets it: inspect reads the directories (not the strips); import reads
  // them again, then the pixels, after it recorded its run (a strip past the end is found there).
  const broken: [string, Uint8Array, 'import' | 'inspect' | 'import-reads'][] = [
    ['ifd-count-65535', withValue(base.bytes, base.ifdAt[0], 0xffff, 2), 'import'],
    [`ifd${p + 1}-count-0`, withValue(base.bytes, base.ifdAt[p], 0, 2), 'inspect'],
    [`ifd${p + 1}-next-past-eof`, withValue(base.bytes, base.nextAt[p], n + 8, 4), 'import'],
    [`ifd${p + 1}-points-to-itself`, withValue(base.bytes, base.nextAt[p], base.ifdAt[p], 4), 'import'],
    ['last-ifd-loops-to-first', withValue(base.bytes, base.nextAt[BASE.pages - 1], base.ifdAt[0], 4), 'inspect'],
    // (3 strips per page: offsets and counts are arrays after the directory) strip 2 of page p past the end
    ['strip-offset-past-eof', withValue(base.bytes, readU32(base.bytes, entry(p, 273) + 8) + 4, n + 10, 4), 'import-reads'],
    ['stripoffsets-count-1000000', withValue(base.bytes, entry(0, 273) + 4, 1_000_000, 4), 'import'],
    ['width-65535-height-65535', withValue(withValue(base.bytes, entry(0, 256) + 8, 65535, 4), entry(0, 257) + 8, 65535, 4), 'inspect'],
  ];
  for (const [name, bytes, command] of broken) cases.push(command === 'inspect' ? inspectCase(name, bytes) : importCase(name, bytes, command === 'import' ? 'refused' : 'failed-run'));
  // A Deflate strip whose byte count runs 4 GB past the end (an uncompressed strip is read by its geometry, so only here is the count wrong).
  const dp = between(r, 0, BASE.pages);
  cases.push(importCase('deflate-bytecount-huge', withValue(deflated.bytes, readU32(deflated.bytes, deflated.entryAt[dp].get(279)! + 8), 0xfffffff0, 4), 'failed-run'));

  // Random bytes changed in the directories: some changes leave a valid file (a tag nobody reads), so 0 or 1.
  for (let k = 0; k < 2; k++) {
    const b = base.bytes.slice();
    const places: number[] = [];
    for (let j = 0; j < 4; j++) {
      const at2 = between(r, 8, base.dataStart);
      b[at2] = Math.floor(r() * 256);
      places.push(at2);
    }
    cases.push(importCase(`ifd-bytes-${places.join('-')}`, b, 'either'));
  }

  // Bombs and huge declared sizes.
  // 32 MB of zeros in one Deflate strip of a 256 x 256 8-bit page (declared: 64 kB).
  cases.push(importCase('deflate-bomb-32mb', onePageTiff({ width: 256, height: 256, rowsPerStrip: 256, compression: 8, chunk: deflateSync(new Uint8Array(32 << 20)), stripCount: 1 }), 'failed-run'));
  // 60 000 x 20 000 8-bit (1.2 GB) in 1250 strips that all point at one small Deflate strip.
  cases.push(importCase('declares-1.2gb', onePageTiff({ width: 60_000, height: 20_000, rowsPerStrip: 16, compression: 8, chunk: deflateSync(new Uint8Array(60_000 * 16)), stripCount: 1250 })));
  // 4 GB uncompressed in one strip whose byte count cannot be right.
  cases.push(importCase('declares-4gb-raw', onePageTiff({ width: 65_535, height: 65_535, rowsPerStrip: 65_535, compression: 1, chunk: new Uint8Array(1024), stripCount: 1, byteCount: 0xffffffff })));
  // PackBits, 40 000 x 40 000 (1.6 GB) in 40 000 one-row strips that all point at one 2-byte run.
  cases.push(importCase('declares-1.6gb-packbits', onePageTiff({ width: 40_000, height: 40_000, rowsPerStrip: 1, compression: 32773, chunk: new Uint8Array([0x81, 0]), stripCount: 40_000 })));
  return cases;
}

function readU32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

export function thicknessCases(seed: number, at: FuzzPlaces): FuzzCase[] {
  const r = random(seed);
  const file = (name: string, content: string | Uint8Array) => {
    const p = join(at.dir, name);
    writeFileSync(p, content);
    return p;
  };
  const garbage = (bytes: number) => Uint8Array.from({ length: bytes }, () => Math.floor(r() * 256));
  const tableCase = (name: string, content: string | Uint8Array, flag: '--table' | '--asv' = '--table', names = name): FuzzCase => {
    const path = file(name, content);
    const project = at.greyProject(name.replace(/\W/g, '_'));
    return { name: `thickness ${flag} ${name}`, args: ['thickness', project, '--volume', 'grey', flag, path, '--apply'], unchanged: [project, path], names };
  };
  const rows = (count: number, value: (i: number) => string) => Array.from({ length: count }, (_, i) => `${i + 1},${value(i)}`).join('\n');
  const nested = (depth: number, inner: string) => `${'<A>'.repeat(depth)}${inner}${'</A>'.repeat(depth)}`;
  const slices = (count: number) => Array.from({ length: count }, () => `<Slice><MeasuredThickness>${(8 + 4 * r()).toFixed(3)}e-9</MeasuredThickness></Slice>`).join('');
  const validAsv = `<?xml version="1.0"?>\n<ProjectData><Results>${slices(BASE.pages - 1)}</Results></ProjectData>`;
  const cutAt = between(r, 30, validAsv.indexOf('<Slice>') + 20);
  return [
    tableCase('huge-row.csv', `slice,thickness_nm\n1,${'9'.repeat(12)}${'x'.repeat(5_000_000)}\n${rows(BASE.pages - 2, () => '10')}\n`),
    // Well-formed, but for another stack: refused for its count (the message speaks of "the table").
    tableCase('100k-rows.csv', `slice,thickness_nm\n${rows(100_000, (i) => (9 + (i % 3)).toString())}\n`, '--table', 'the table has 100000'),
    tableCase('binary-garbage.csv', garbage(256 << 10)),
    tableCase('nul-bytes.csv', new Uint8Array(1 << 20)),
    tableCase('ProjectData-nested.dat', `<?xml version="1.0"?>\n<ProjectData>${nested(10_000, `<Results>${slices(BASE.pages - 1)}</Results>`)}</ProjectData>`, '--asv'),
    tableCase('ProjectData-garbage.dat', garbage(128 << 10), '--asv'),
    tableCase(`ProjectData-cut-${cutAt}.dat`, validAsv.slice(0, cutAt), '--asv'),
  ];
}

/** One bit flipped in the middle of one stored slice blob, through a connection of its own. */
export function flipBitInSlice(path: string, volume: string, z: number): void {
  const db = new Database(path);
  try {
    const row = db.prepare('SELECT slice.rowid AS rid, data FROM slice JOIN volume ON volume.id = slice.volume_id WHERE volume.name = ? AND z_index = ?').get(volume, z) as { rid: number; data: Buffer };
    const data = Buffer.from(row.data);
    data[data.length >> 1] ^= 0x10;
    db.prepare('UPDATE slice SET data = ? WHERE rowid = ?').run(data, row.rid);
  } finally {
    db.close();
  }
}

export function projectCases(seed: number, at: FuzzPlaces): FuzzCase[] {
  const r = random(seed);
  const path = (name: string) => join(at.dir, name);
  const cases: FuzzCase[] = [];
  const stack = join(at.dir, 'valid.tif');
  const exportTarget = (name: string) => path(`${name}-export.tif`);
  // Every command that takes a project, on one hostile project file.
  const on = (name: string, commands: ('info' | 'check' | 'export' | 'import' | 'thickness')[]) => {
    const project = path(name);
    const table = path('table-ok.csv');
    for (const c of commands) {
      const out = exportTarget(`${name}-${c}`);
      const args =
        c === 'info'
          ? ['info', project, '--runs']
          : c === 'check'
            ? ['check', project, '--deep']
            : c === 'export'
              ? ['export', project, '--volume', 'grey', '--out', out]
              : c === 'import'
                ? ['import', project, stack, '--name', 'other', '--pixel-size-nm', '5']
                : ['thickness', project, '--volume', 'grey', '--table', table, '--apply'];
      cases.push({ name: `${c} ${name}`, args, unchanged: [project], names: name, absent: c === 'export' ? [out, `${out}.partial`] : undefined });
    }
  };
  writeFileSync(path('table-ok.csv'), `slice,thickness_nm\n${Array.from({ length: BASE.pages - 1 }, (_, i) => `${i + 1},10`).join('\n')}\n`);

  writeFileSync(path('random.fibrecon'), Uint8Array.from({ length: 64 << 10 }, () => Math.floor(r() * 256)));
  on('random.fibrecon', ['check', 'import']);
  writeFileSync(path('empty.fibrecon'), new Uint8Array(0));
  on('empty.fibrecon', ['import']);
  const other = new Database(path('other-sqlite.fibrecon'));
  other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('not a project');");
  other.close();
  on('other-sqlite.fibrecon', ['info', 'import']);
  const full = readFileSync(at.greyShared);
  const cut = between(r, 4096, full.length - 4096);
  writeFileSync(path(`cut-${cut}.fibrecon`), full.subarray(0, cut));
  on(`cut-${cut}.fibrecon`, ['check', 'export', 'import']);
  const newer = path('newer.fibrecon');
  copyFileSync(at.greyShared, newer);
  const db = new Database(newer);
  db.pragma('user_version = 999');
  db.pragma('journal_mode = DELETE');
  db.close();
  on('newer.fibrecon', ['thickness']);
  const flipped = path('flipped-bit.fibrecon');
  copyFileSync(at.greyShared, flipped);
  flipBitInSlice(flipped, 'grey', between(r, 0, BASE.pages));
  on('flipped-bit.fibrecon', ['check', 'export']);
  return cases;
}
