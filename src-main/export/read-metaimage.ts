// Reads a MetaImage volume (ITK MetaIO): a `.mhd` header with the data in a
// detached file (ElementDataFile = vol.raw) or after the header (LOCAL, as in
// .mha). ElementDataFile is the last header field; the voxel size is
// ElementSpacing (ITK), else ElementSize (Fiji). MetaImage has no unit field:
// numbers are read as nm, as fibrecon writes them.

import { dirname, isAbsolute, join } from 'node:path';
import type { DType } from '../../src-shared/dtype';
import {
  corrupt, openForRead, rawBytes, readHeaderText, readRawSlices, uniformFrom, unsupported,
  type ReadVolumeOptions, type VolumeRead,
} from './read-raw-slices';

const MET_DTYPE: Record<string, DType> = { MET_UCHAR: 'uint8', MET_USHORT: 'uint16', MET_FLOAT: 'float32' };

/** Offset just past the ElementDataFile line, or undefined while it is not complete. */
function headerEnd(text: string, atEof: boolean): number | undefined {
  const m = /(^|\n)[ \t]*ElementDataFile[ \t]*=[^\n]*(\n|$)/.exec(text);
  if (!m || (m[2] === '' && !atEof)) return undefined;
  return m.index + m[0].length;
}

function parseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1], m[2]);
  }
  return fields;
}

const isTrue = (v: string | undefined) => v !== undefined && /^(true|1)$/i.test(v);

export async function readMetaImage(path: string, options: ReadVolumeOptions = {}): Promise<VolumeRead> {
  const fh = await openForRead(path);
  let dataFh = fh;
  try {
    const { text, dataOffset } = await readHeaderText(fh, path, headerEnd, 1 << 20);
    if (dataOffset === undefined) throw corrupt(path, 'has no ElementDataFile line', 'a MetaImage header must end with "ElementDataFile = <file>" or "= LOCAL"');
    const f = parseFields(text.slice(0, dataOffset));
    const notes: string[] = [];
    const ndims = Number(f.get('NDims'));
    if (ndims !== 3 && ndims !== 2) throw unsupported(path, `has NDims = ${f.get('NDims')}`, 'only 2-D and 3-D grey images are read');
    const dims = (f.get('DimSize') ?? '').split(/\s+/).map(Number);
    if (dims.length !== ndims || dims.some((n) => !(Number.isInteger(n) && n > 0))) throw corrupt(path, `has DimSize "${f.get('DimSize')}" for NDims = ${ndims}`);
    const [nx, ny, nz] = [dims[0], dims[1], dims[2] ?? 1];
    const type = f.get('ElementType') ?? '';
    const dtype = MET_DTYPE[type];
    if (!dtype) throw unsupported(path, `has ElementType ${type || '(none)'}`, 'convert it to 8-bit, 16-bit unsigned or 32-bit float (MET_UCHAR, MET_USHORT, MET_FLOAT) first');
    const channels = Number(f.get('ElementNumberOfChannels') ?? 1);
    if (channels !== 1) throw unsupported(path, `has ${channels} channels per voxel`, 'split the channels first');
    if (isTrue(f.get('CompressedData'))) throw unsupported(path, 'holds compressed data', 'save it uncompressed (in Fiji or ITK: no compression)');
    const msb = f.get('ElementByteOrderMSB') ?? f.get('BinaryDataByteOrderMSB');
    const littleEndian = !isTrue(msb);

    const spacingText = f.get('ElementSpacing') ?? f.get('ElementSize');
    let spacing = (spacingText ?? '').split(/\s+/).map(Number);
    if (!spacingText || spacing.length < ndims || spacing.some((v) => !(v > 0))) {
      notes.push(`No usable ElementSpacing or ElementSize ("${spacingText ?? ''}"): voxel size set to 1 nm; enter the real voxel size.`);
      spacing = [1, 1, 1];
    }
    if (ndims === 2) spacing = [spacing[0], spacing[1], spacing[0]];
    const size = f.get('ElementSize');
    if (f.has('ElementSpacing') && size && size !== f.get('ElementSpacing')) notes.push(`ElementSize (${size}) differs from ElementSpacing: ElementSpacing used.`);
    notes.push('MetaImage has no unit: spacing read as nm.');
    const offset = (f.get('Offset') ?? f.get('Position') ?? '').split(/\s+/).map(Number);
    const z0 = ndims === 3 && Number.isFinite(offset[2]) ? offset[2] : 0;
    const matrix = f.get('TransformMatrix') ?? f.get('Rotation') ?? f.get('Orientation');
    if (matrix && matrix.split(/\s+/).map(Number).join(' ') !== '1 0 0 0 1 0 0 0 1') notes.push(`TransformMatrix ${matrix} is not the identity: ignored.`);

    const shape = [nz, ny, nx] as const;
    const dataFile = f.get('ElementDataFile')!;
    let start = dataOffset;
    if (dataFile !== 'LOCAL') {
      if (dataFile === 'LIST' || /%/.test(dataFile) || /\s/.test(dataFile.trim())) {
        throw unsupported(path, `stores its data as a file list or pattern ("${dataFile}")`, 'import the slice files as a stack instead');
      }
      const dataPath = isAbsolute(dataFile) ? dataFile : join(dirname(path), dataFile);
      dataFh = await openForRead(dataPath);
      start = 0;
      const headerSize = Number(f.get('HeaderSize') ?? 0);
      if (headerSize === -1) start = (await dataFh.stat()).size - rawBytes({ dtype, shape });
      else if (headerSize > 0) start = headerSize;
      if (start < 0) throw corrupt(dataPath, 'is smaller than the image its header declares');
      return { volume: build(await readRawSlices(dataFh, dataPath, { offset: start, dtype, shape, littleEndian }, options)), notes };
    }
    return { volume: build(await readRawSlices(fh, path, { offset: start, dtype, shape, littleEndian }, options)), notes };

    function build(slices: import('../../src-shared/dtype').SliceArray[]) {
      const voxelSizeNm = { x: spacing[0], y: spacing[1], z: spacing[2] };
      return { shape, dtype, voxelSizeNm, zPositionsNm: uniformFrom(z0, nz, voxelSizeNm.z), slices };
    }
  } finally {
    if (dataFh !== fh) await dataFh.close();
    await fh.close();
  }
}
