// Reads a NRRD volume (teem's NRRD000x, http://teem.sourceforge.net/nrrd/format.html):
// raw encoding, data attached after the blank line that ends the header or in
// a detached `data file`, little or big endian. Voxel size from `space
// directions` (vector lengths) or `spacings`; lengths in `space units`, else nm.

import { dirname, isAbsolute, join } from 'node:path';
import type { DType } from '../../src-shared/dtype';
import {
  corrupt, nmPerUnit, openForRead, rawBytes, readHeaderText, readRawSlices, uniformFrom, unsupported,
  type ReadVolumeOptions, type VolumeRead,
} from './read-raw-slices';

const NRRD_DTYPE: Record<string, DType> = {
  uchar: 'uint8', 'unsigned char': 'uint8', uint8: 'uint8', uint8_t: 'uint8',
  ushort: 'uint16', 'unsigned short': 'uint16', 'unsigned short int': 'uint16', uint16: 'uint16', uint16_t: 'uint16',
  float: 'float32',
};

function headerEnd(text: string, atEof: boolean): number | undefined {
  const m = /\r?\n\r?\n/.exec(text);
  if (m) return m.index + m[0].length;
  return atEof ? text.length : undefined;
}

function parseVector(v: string): number[] | undefined {
  if (v === 'none') return undefined;
  return v.replace(/[()]/g, '').split(',').map(Number);
}

export async function readNrrd(path: string, options: ReadVolumeOptions = {}): Promise<VolumeRead> {
  const fh = await openForRead(path);
  let dataFh = fh;
  try {
    const { text, dataOffset } = await readHeaderText(fh, path, headerEnd, 1 << 20);
    if (!/^NRRD000[1-5]\r?\n/.test(text)) throw unsupported(path, 'is not a NRRD file (no "NRRD000x" magic)', 'choose a .nrrd or .nhdr file');
    const header = text.slice(0, dataOffset ?? text.length);
    const f = new Map<string, string>();
    for (const line of header.split(/\r?\n/).slice(1)) {
      if (!line || line.startsWith('#') || /^[^:]*:=/.test(line)) continue;
      const i = line.indexOf(': ');
      if (i > 0) f.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 2).trim());
    }
    const notes: string[] = [];
    const dim = Number(f.get('dimension'));
    if (dim !== 3 && dim !== 2) throw unsupported(path, `has dimension ${f.get('dimension')}`, 'only 2-D and 3-D grey images are read');
    const sizes = (f.get('sizes') ?? '').split(/\s+/).map(Number);
    if (sizes.length !== dim || sizes.some((n) => !(Number.isInteger(n) && n > 0))) throw corrupt(path, `has sizes "${f.get('sizes')}" for dimension ${dim}`);
    const [nx, ny, nz] = [sizes[0], sizes[1], sizes[2] ?? 1];
    const type = f.get('type') ?? '';
    const dtype = NRRD_DTYPE[type];
    if (!dtype) throw unsupported(path, `has type ${type || '(none)'}`, 'convert it to uint8, uint16 or float first (e.g. unu convert)');
    const encoding = f.get('encoding') ?? '';
    if (encoding !== 'raw') throw unsupported(path, `has ${encoding || 'no'} encoding`, 'save it with raw encoding (e.g. unu save -e raw)');
    const endian = f.get('endian');
    if (dtype !== 'uint8' && endian !== 'little' && endian !== 'big') throw corrupt(path, 'has multi-byte voxels but no "endian: little|big" field');
    const littleEndian = endian !== 'big';

    let spacing: number[] | undefined;
    const directions = f.get('space directions');
    if (directions) {
      const vecs = directions.split(/\s+(?=\(|none)/).map(parseVector).filter((v): v is number[] => v !== undefined);
      if (vecs.length >= dim) {
        spacing = vecs.slice(0, dim).map((v) => Math.hypot(...v));
        const offAxis = vecs.slice(0, dim).some((v, a) => v.some((c, j) => j !== a && c !== 0));
        if (offAxis) notes.push(`space directions ${directions} are not along the axes: voxel size from their lengths, orientation ignored.`);
      }
    } else if (f.get('spacings')) {
      spacing = f.get('spacings')!.split(/\s+/).map(Number);
    }
    if (!spacing || spacing.length < dim || spacing.some((v) => !(v > 0))) {
      notes.push('No usable space directions or spacings: voxel size set to 1 nm; enter the real voxel size.');
      spacing = [1, 1, 1];
    } else {
      const units = [...(f.get('space units') ?? f.get('units') ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      if (units.length === 0) notes.push('No space units: lengths read as nm.');
      spacing = spacing.map((v, a) => {
        if (units[a] === undefined) return v;
        const k = nmPerUnit(units[a]);
        if (k === undefined) notes.push(`Unit "${units[a]}" is not a length unit we know: read as nm.`);
        return v * (k ?? 1);
      });
    }
    if (dim === 2) spacing = [spacing[0], spacing[1], spacing[0]];
    const origin = parseVector(f.get('space origin') ?? 'none');
    const zUnit = nmPerUnit([...(f.get('space units') ?? '').matchAll(/"([^"]*)"/g)][2]?.[1] ?? 'nm') ?? 1;
    const z0 = dim === 3 && origin && Number.isFinite(origin[2]) ? origin[2] * zUnit : 0;

    const shape = [nz, ny, nx] as const;
    const dataFile = f.get('data file') ?? f.get('datafile');
    let file = path;
    let start = dataOffset ?? text.length;
    if (dataFile) {
      if (/^LIST\b/.test(dataFile) || /\s/.test(dataFile) || /%/.test(dataFile)) throw unsupported(path, `stores its data in several files ("${dataFile}")`, 'join them into one raw file first');
      file = isAbsolute(dataFile) ? dataFile : join(dirname(path), dataFile);
      dataFh = await openForRead(file);
      start = 0;
    } else if (dataOffset === undefined) {
      throw corrupt(path, 'has no blank line after the header and no data file');
    }
    const lineSkip = Number(f.get('line skip') ?? f.get('lineskip') ?? 0);
    if (lineSkip > 0) throw unsupported(path, 'uses "line skip"', 'remove the skipped lines or use "byte skip"');
    const byteSkip = Number(f.get('byte skip') ?? f.get('byteskip') ?? 0);
    if (byteSkip === -1) start = (await dataFh.stat()).size - rawBytes({ dtype, shape });
    else if (byteSkip > 0) start += byteSkip;
    if (start < 0) throw corrupt(file, 'is smaller than the image its header declares');
    const slices = await readRawSlices(dataFh, file, { offset: start, dtype, shape, littleEndian }, options);
    const voxelSizeNm = { x: spacing[0], y: spacing[1], z: spacing[2] };
    return { volume: { shape, dtype, voxelSizeNm, zPositionsNm: uniformFrom(z0, nz, voxelSizeNm.z), slices }, notes };
  } finally {
    if (dataFh !== fh) await dataFh.close();
    await fh.close();
  }
}
