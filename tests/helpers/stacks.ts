// Test stacks: deterministic pixels made here, written to TIFF by tifffile (an
// independent writer), so that a reader test compares against known arrays.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from './python';

export type TestDType = 'uint8' | 'uint16';

/** Deterministic pseudo-random slices (z, y, x). */
export function makeSlices(nz: number, ny: number, nx: number, dtype: TestDType, seed = 1): (Uint8Array | Uint16Array)[] {
  let s = seed >>> 0;
  const max = dtype === 'uint8' ? 256 : 65536;
  return Array.from({ length: nz }, () => {
    const a = dtype === 'uint8' ? new Uint8Array(ny * nx) : new Uint16Array(ny * nx);
    for (let i = 0; i < a.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      a[i] = (s >>> 8) % max;
    }
    return a;
  });
}

const WRITE = `
import sys, json, numpy as np, tifffile
spec = json.loads(sys.argv[1])
a = np.fromfile(spec['raw'], dtype=spec['dtype']).reshape(spec['shape'])
kw = {'photometric': 'minisblack', **spec.get('kw', {})}
extratags = [(t['tag'], 's', 0, t['text'], True) for t in spec.get('tags', [])]
if spec['layout'] == 'multipage':
    tifffile.imwrite(spec['out'], a, extratags=extratags, **kw)
else:
    for i, name in enumerate(spec['names']):
        tifffile.imwrite(spec['out'] + '/' + name, a[i], extratags=extratags, **kw)
`;

export interface WriteStackOptions {
  layout: 'multipage' | 'folder';
  /** File names for a folder (default slice_1.tif ...). */
  names?: string[];
  /** Keyword arguments for tifffile.imwrite (e.g. { bigtiff: true, byteorder: '>' }). */
  kw?: Record<string, unknown>;
  /** ASCII tags written on every page, e.g. FEI 34682. */
  tags?: { tag: number; text: string }[];
}

/** Writes slices with tifffile to `out` (a file, or an existing folder). */
export function writeStackWithTifffile(out: string, slices: (Uint8Array | Uint16Array)[], ny: number, nx: number, opts: WriteStackOptions): string[] {
  const dtype = slices[0] instanceof Uint8Array ? 'uint8' : 'uint16';
  const raw = `${out}.raw`;
  writeFileSync(raw, Buffer.concat(slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
  const names = opts.names ?? slices.map((_, i) => `slice_${i + 1}.tif`);
  runPython(WRITE, [JSON.stringify({ raw, dtype, shape: [slices.length, ny, nx], out, layout: opts.layout, names, kw: opts.kw ?? {}, tags: opts.tags ?? [] })]);
  return opts.layout === 'multipage' ? [out] : names.map((n) => join(out, n));
}
