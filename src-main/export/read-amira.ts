// Reads an AmiraMesh uniform lattice (.am) as written by Amira / Avizo and by
// fibrecon (amira-header.ts): binary little- or big-endian, byte / ushort /
// float, `Data` or `Labels`, raw or HxByteRLE. The voxel size comes from the
// BoundingBox, which spans the centres of the first and last voxels:
// dx = (xmax - xmin) / (nx - 1). Only the first Lattice field (@1) is read.

import { DTYPES, type DType } from '../../src-shared/dtype';
import { throwIfAborted } from '../../src-shared/errors';
import { HxByteRLESliceDecoder } from './read-hx-byte-rle';
import {
  corrupt, nmPerUnit, openForRead, readHeaderText, readRawSlices, requireBytes, sliceFromBytes, uniformFrom, unsupported,
  type ReadVolumeOptions, type VolumeRead,
} from './read-raw-slices';

const AMIRA_DTYPE: Record<string, DType> = { byte: 'uint8', ushort: 'uint16', float: 'float32' };

/** Where the data of @1 starts: after the `@1` line that follows the header. */
function dataStart(text: string): number | undefined {
  const lattice = text.search(/\bLattice\s*\{[^}]*\}\s*@1/);
  if (lattice < 0) return undefined;
  const m = /(^|\n)@1[ \t]*\r?\n/.exec(text.slice(lattice + 8));
  return m ? lattice + 8 + m.index + m[0].length : undefined;
}

export async function readAmiraMesh(path: string, options: ReadVolumeOptions = {}): Promise<VolumeRead> {
  const fh = await openForRead(path);
  try {
    const { text, dataOffset } = await readHeaderText(fh, path, (t) => dataStart(t));
    const first = /^# (?:AmiraMesh|Avizo)(?: 3D)? (BINARY-LITTLE-ENDIAN|BINARY|ASCII)\b/.exec(text);
    if (!first) throw unsupported(path, 'is not an AmiraMesh file (it does not start with "# AmiraMesh")', 'choose an .am file written by Amira, Avizo or fibrecon');
    if (first[1] === 'ASCII') throw unsupported(path, 'is an ASCII AmiraMesh', 'save it from Avizo as binary AmiraMesh, then read it again');
    const littleEndian = first[1] === 'BINARY-LITTLE-ENDIAN';
    if (dataOffset === undefined) throw corrupt(path, 'has no "Lattice { ... } @1" field with a "@1" data section');
    const head = text.slice(0, dataOffset);
    const notes: string[] = [];

    const dims = /define\s+Lattice\s+(\d+)\s+(\d+)\s+(\d+)/.exec(head);
    if (!dims) throw unsupported(path, 'has no 3-D "define Lattice NX NY NZ"', 'only uniform 3-D lattices (image volumes) are read');
    const [nx, ny, nz] = dims.slice(1, 4).map(Number);
    if (!(nx > 0 && ny > 0 && nz > 0)) throw corrupt(path, `has an empty lattice ${nx} x ${ny} x ${nz}`);
    const coord = /CoordType\s+"(\w+)"/.exec(head)?.[1];
    if (coord && coord !== 'uniform') {
      throw unsupported(path, `has ${coord} coordinates`, 'resample it to a uniform lattice in Avizo, or export it as stacked slices (.asi) and import those');
    }
    const field = /\bLattice\s*\{\s*(\w+)(?:\[(\d+)\])?\s+(\w+)\s*\}\s*@1(?:\((\w+),(\d+)\))?/.exec(head);
    if (!field) throw corrupt(path, 'has no readable "Lattice { type name } @1" line');
    const [, type, components, name, encoding, encodedBytes] = field;
    const dtype = AMIRA_DTYPE[type];
    if (!dtype) throw unsupported(path, `holds ${type} voxels`, 'convert it to byte, ushort or float in Avizo (Convert Image Type), then read it again');
    if (components && components !== '1') throw unsupported(path, `has ${components} components per voxel`, 'extract one channel in Avizo first');
    if (encoding && encoding !== 'HxByteRLE') throw unsupported(path, `is compressed with ${encoding}`, 'save it uncompressed or with HxByteRLE');
    if (encoding && dtype !== 'uint8') throw unsupported(path, 'has HxByteRLE on a multi-byte type', 'save it uncompressed');
    if (name === 'Labels') notes.push('A label field (Labels): values are material indices.');

    const bb = /BoundingBox\s+([^,\n]+)/.exec(head)?.[1].trim().split(/\s+/).map(Number);
    let spacing = [1, 1, 1];
    let z0 = 0;
    let scale = 1;
    const unit = /Coordinates\s+"([^"]*)"/.exec(head)?.[1];
    if (unit !== undefined) {
      const f = nmPerUnit(unit);
      if (f === undefined) notes.push(`Coordinates unit "${unit}" is not a length unit we know: BoundingBox read as nm.`);
      else scale = f;
    } else {
      notes.push('No Units { Coordinates } in the header: BoundingBox read as nm (Avizo often means µm here; check the voxel size).');
    }
    if (!bb || bb.length !== 6 || bb.some((v) => !Number.isFinite(v))) {
      notes.push('No BoundingBox: voxel size set to 1 nm; enter the real voxel size.');
    } else {
      const n = [nx, ny, nz];
      spacing = [0, 1, 2].map((a) => (n[a] > 1 ? ((bb[2 * a + 1] - bb[2 * a]) / (n[a] - 1)) * scale : NaN));
      const known = spacing.find((v) => Number.isFinite(v) && v > 0) ?? 1;
      spacing.forEach((v, a) => {
        if (n[a] === 1) {
          spacing[a] = known;
          notes.push(`Only one voxel along ${'xyz'[a]}: its size is unknown, set to ${known} nm.`);
        }
      });
      z0 = bb[4] * scale;
      if (spacing.some((v) => !(v > 0))) throw corrupt(path, `has a BoundingBox ${bb.join(' ')} with zero or negative extent`, 'fix the BoundingBox in Avizo (Crop Editor) and save again');
    }

    const shape = [nz, ny, nx] as const;
    const sliceByteCount = nx * ny * DTYPES[dtype].bytes;
    let slices;
    if (encoding) {
      const end = dataOffset + Number(encodedBytes);
      await requireBytes(fh, path, end);
      const decoder = new HxByteRLESliceDecoder(fh, path, dataOffset, end);
      slices = [];
      for (let z = 0; z < nz; z++) {
        throwIfAborted(options.signal);
        const bytes = new Uint8Array(sliceByteCount);
        await decoder.next(bytes);
        slices.push(sliceFromBytes(bytes, dtype, littleEndian));
        options.onProgress?.(z + 1, nz);
      }
      if (decoder.unread() > 0) notes.push(`${decoder.unread()} bytes of HxByteRLE data were left over after the last voxel.`);
    } else {
      slices = await readRawSlices(fh, path, { offset: dataOffset, dtype, shape, littleEndian }, options);
    }
    const voxelSizeNm = { x: spacing[0], y: spacing[1], z: spacing[2] };
    return { volume: { shape, dtype, voxelSizeNm, zPositionsNm: uniformFrom(z0, nz, voxelSizeNm.z), slices }, notes };
  } finally {
    await fh.close();
  }
}
