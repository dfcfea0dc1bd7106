// Shared by the volume readers (AmiraMesh, MetaImage, NRRD): open a file,
// read its text header by growing byte ranges, and read the raw voxels slice
// by slice at byte offsets, so a 20 GB volume never passes through one buffer.

import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { DTYPES, type DType, type SliceArray } from '../../src-shared/dtype';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { Shape3, Volume } from '../../src-shared/volume';

/** A volume read back from a file, with what the reader assumed or converted. */
export interface VolumeRead {
  volume: Volume;
  notes: string[];
}

export interface ReadVolumeOptions {
  signal?: AbortSignal;
  /** Called with (slices read, nz). */
  onProgress?: (done: number, total: number) => void;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function corrupt(path: string, what: string, todo = 'check that the file was copied completely, or export it again'): AppError {
  return new AppError('corrupt_file', `${basename(path)}: ${what}; ${todo}.`, path);
}

export function unsupported(path: string, what: string, todo: string): AppError {
  return new AppError('unsupported_format', `${basename(path)}: ${what}; ${todo}.`, path);
}

export async function openForRead(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('file_not_found', `${path} does not exist; check the name and folder.`, path);
    if (code === 'EISDIR') throw new AppError('invalid_input', `${path} is a folder; choose the file itself.`, path);
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('invalid_input', `No permission to read ${path}; copy it somewhere readable.`, path);
    throw e;
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead <= 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/**
 * Reads the start of the file as latin1 text, doubling the range until
 * `headerEnd(text)` finds the byte offset where the data starts (or the file
 * ends). Returns the text read and that offset (undefined at end of file).
 */
export async function readHeaderText(
  fh: FileHandle,
  path: string,
  headerEnd: (text: string, atEof: boolean) => number | undefined,
  maxBytes = 16 << 20,
): Promise<{ text: string; dataOffset: number | undefined }> {
  const size = (await fh.stat()).size;
  for (let n = Math.min(size, 4096); ; n = Math.min(size, n * 2)) {
    const text = Buffer.from(await readAt(fh, 0, n)).toString('latin1');
    const atEof = n >= size;
    const end = headerEnd(text, atEof);
    if (end !== undefined || atEof) return { text, dataOffset: end };
    if (n >= maxBytes) throw corrupt(path, `no end of the header in the first ${maxBytes} bytes`, 'is this the right kind of file?');
  }
}

export interface RawLayout {
  offset: number;
  dtype: DType;
  shape: Shape3;
  littleEndian: boolean;
}

export function rawBytes(layout: Pick<RawLayout, 'dtype' | 'shape'>): number {
  const [nz, ny, nx] = layout.shape;
  return nz * ny * nx * DTYPES[layout.dtype].bytes;
}

/** Throws corrupt_file when the file is too short for the data it declares. */
export async function requireBytes(fh: FileHandle, path: string, end: number): Promise<void> {
  const size = (await fh.stat()).size;
  if (size < end) throw corrupt(path, `the header declares data up to byte ${end} but the file has ${size} bytes (truncated)`);
}

/** Swaps each element's bytes in place (big-endian file on a little-endian host, or the reverse). */
export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Turns `length` bytes of one slice (file byte order) into a typed array. */
export function sliceFromBytes(bytes: Uint8Array, dtype: DType, littleEndian: boolean): SliceArray {
  const width = DTYPES[dtype].bytes;
  if (width > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(bytes, width);
  return DTYPES[dtype].view(bytes.buffer, bytes.byteOffset, bytes.length / width);
}

/** Reads every slice at layout.offset + z * sliceBytes, one positional read per slice. */
export async function readRawSlices(fh: FileHandle, path: string, layout: RawLayout, options: ReadVolumeOptions = {}): Promise<SliceArray[]> {
  const [nz, ny, nx] = layout.shape;
  const sliceByteCount = ny * nx * DTYPES[layout.dtype].bytes;
  await requireBytes(fh, path, layout.offset + nz * sliceByteCount);
  const slices: SliceArray[] = [];
  for (let z = 0; z < nz; z++) {
    throwIfAborted(options.signal);
    const bytes = await readAt(fh, layout.offset + z * sliceByteCount, sliceByteCount);
    if (bytes.length !== sliceByteCount) throw corrupt(path, `slice ${z} is cut off`);
    slices.push(sliceFromBytes(bytes, layout.dtype, layout.littleEndian));
    options.onProgress?.(z + 1, nz);
  }
  return slices;
}

export { readAt };

/** Factor from a length unit to nm; undefined when not a length unit we know. */
export function nmPerUnit(unit: string): number | undefined {
  const u = unit.trim().replace(/^"|"$/g, '').toLowerCase();
  const table: Record<string, number> = {
    nm: 1, nanometer: 1, nanometers: 1, nanometre: 1, nanometres: 1,
    um: 1e3, 'µm': 1e3, 'μm': 1e3, micron: 1e3, microns: 1e3, micrometer: 1e3, micrometers: 1e3, micrometre: 1e3, micrometres: 1e3,
    mm: 1e6, millimeter: 1e6, millimeters: 1e6, millimetre: 1e6, millimetres: 1e6,
    m: 1e9, meter: 1e9, meters: 1e9, metre: 1e9, metres: 1e9,
    a: 0.1, 'å': 0.1, angstrom: 0.1, angstroms: 0.1, pm: 1e-3,
  };
  return table[u];
}

/** z of each slice from the first and the spacing. */
export function uniformFrom(z0Nm: number, nz: number, dzNm: number): number[] {
  return Array.from({ length: nz }, (_, i) => z0Nm + i * dzNm);
}
