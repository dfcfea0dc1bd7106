// A stored volume as one uint8 block for the 3D view, downsampled so that it fits
// the GPU (planLevel of src-shared/downsample, the viewer's own rule): grey values
// scaled from the volume's min..max to 0..255 (two passes over the slices), labels
// kept as 0 / 1. Slices are read and shrunk one z-block at a time, so memory is the
// output plus one block of fz slices.
import type { Database } from 'better-sqlite3';
import type { VolumeData } from '../../src-shared/contract';
import { downsample, planLevel, type Shape3 } from '../../src-shared/downsample';
import { throwIfAborted } from '../../src-shared/errors';
import { getVolume, readSlice } from './volume-store';

export async function volumeForView(db: Database, name: string, opts: { maxBytes?: number; maxTexture3D?: number; signal?: AbortSignal } = {}): Promise<VolumeData> {
  const v = getVolume(db, name);
  const shape = [...v.shape] as Shape3;
  const [nz, ny, nx] = shape;
  const factors = planLevel(shape, opts.maxBytes ?? 256 * 1024 * 1024, opts.maxTexture3D ?? 2048);
  const labels = v.kind === 'labels';
  let min = 0;
  let max = 255;
  if (!labels && v.dtype !== 'uint8') {
    min = Infinity;
    max = -Infinity;
    for (let z = 0; z < nz; z++) {
      throwIfAborted(opts.signal);
      const s = await readSlice(db, v, z);
      for (let i = 0; i < s.length; i++) {
        const x = s[i];
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
  }
  const scale = max > min ? 255 / (max - min) : 0;
  const [fz] = factors;
  const planes: Uint8Array[] = [];
  let outShape: Shape3 = [0, 0, 0];
  for (let z0 = 0; z0 < nz; z0 += fz) {
    throwIfAborted(opts.signal);
    const depth = Math.min(fz, nz - z0);
    const block = new Uint8Array(depth * ny * nx);
    for (let k = 0; k < depth; k++) {
      const s = await readSlice(db, v, z0 + k);
      const o = k * ny * nx;
      if (labels) for (let i = 0; i < s.length; i++) block[o + i] = s[i] ? 1 : 0;
      else if (v.dtype === 'uint8') block.set(s, o);
      else for (let i = 0; i < s.length; i++) block[o + i] = Math.round((s[i] - min) * scale);
    }
    const d = downsample(block, [depth, ny, nx], [depth, factors[1], factors[2]], labels ? 'labels' : 'grey');
    planes.push(d.data);
    outShape = [0, d.shape[1], d.shape[2]];
  }
  outShape[0] = planes.length;
  const data = Buffer.concat(planes.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  return {
    volume: name,
    kind: labels ? 'labels' : 'grey',
    shape: outShape,
    factors,
    voxelSizeNm: { x: v.voxelSizeNm.x * factors[2], y: v.voxelSizeNm.y * factors[1], z: v.voxelSizeNm.z * factors[0] },
    dataBase64: data.toString('base64'),
    min,
    max,
  };
}
