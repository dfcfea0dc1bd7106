// Reads a TIFF with python's tifffile (the independent reader) and reports
// what the tests check: layout flags, ImageJ metadata, resolution, dtype,
// shape and a SHA-256 of the pixels as little-endian bytes.
import { createHash } from 'node:crypto';
import type { SliceArray } from '../../src-shared/dtype';
import { runPython } from '../helpers/python';

const SCRIPT = `
import sys, json, hashlib
import numpy as np
import tifffile

path = sys.argv[1]
tags = [int(t) for t in sys.argv[2].split(',') if t]
with tifffile.TiffFile(path) as tif:
    series = tif.series[0]
    data = series.asarray()
    p0 = tif.pages[0]
    plast = tif.pages[-1]
    def tag(page, code):
        t = page.tags.get(code)
        if t is None:
            return None
        # raw text as stored (tifffile parses some tags, e.g. FEI 34682, into dicts)
        tif.filehandle.seek(t.valueoffset)
        raw = tif.filehandle.read(t.count)
        assert t.dtype == 2, f'tag {code} has type {t.dtype}, not ASCII'
        return raw.rstrip(b'\\0').decode('utf-8')
    meta = tif.imagej_metadata if tif.is_imagej else None
    le = data.astype(data.dtype.newbyteorder('<'), copy=False)
    out = {
        'pages': len(tif.pages),
        'is_imagej': bool(tif.is_imagej),
        'is_bigtiff': bool(tif.is_bigtiff),
        'imagej': meta,
        'shape': list(data.shape),
        'dtype': str(data.dtype),
        'sha256': hashlib.sha256(np.ascontiguousarray(le).tobytes()).hexdigest(),
        'xres': list(p0.tags['XResolution'].value),
        'yres': list(p0.tags['YResolution'].value),
        'resunit': int(p0.tags['ResolutionUnit'].value),
        'first': {str(c): tag(p0, c) for c in tags},
        'last': {str(c): tag(plast, c) for c in tags},
        'parsed': {str(c): (p0.tags[c].value if c in p0.tags else None) for c in tags},
        'all_pages_shape': [list(p.shape) for p in tif.pages],
    }
    if len(tif.pages) > 1:
        stacked = np.stack([p.asarray() for p in tif.pages])
        out['pages_sha256'] = hashlib.sha256(np.ascontiguousarray(stacked.astype(stacked.dtype.newbyteorder('<'), copy=False)).tobytes()).hexdigest()
print(json.dumps(out))
`;

export interface TifffileReport {
  pages: number;
  is_imagej: boolean;
  is_bigtiff: boolean;
  imagej: Record<string, string | number | boolean> | null;
  shape: number[];
  dtype: string;
  sha256: string;
  /** Same hash computed page by page (only for files with more than one IFD). */
  pages_sha256?: string;
  xres: [number, number];
  yres: [number, number];
  resunit: number;
  first: Record<string, string | null>;
  last: Record<string, string | null>;
  /** tifffile's own decoding of the first page's tags (FEI 34682 becomes a dict of INI sections). */
  parsed: Record<string, unknown>;
  all_pages_shape: number[][];
}

export function readWithTifffile(path: string, tags: number[] = []): TifffileReport {
  return JSON.parse(runPython(SCRIPT, [path, tags.join(',')])) as TifffileReport;
}

/** SHA-256 of the slices' little-endian bytes (the test hosts are little endian). */
export function slicesSha256(slices: readonly SliceArray[]): string {
  const h = createHash('sha256');
  for (const s of slices) h.update(new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
  return h.digest('hex');
}
