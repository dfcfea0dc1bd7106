// Test images for registration: a blurred leveled-wave structure (broadband edges,
// like SEM images of nanoporous gold) shifted by python (scipy.ndimage.shift), the
// independent source of sub-pixel ground truth, with skimage's estimates alongside.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { leveledWaveField } from '../../src-main/synth';
import { runPython, tempDir } from '../helpers/python';

export const MARGIN = 24;

/** A (height + 2 MARGIN) x (width + 2 MARGIN) binary structure, 0/1 as float32. */
export function baseStructure(width: number, height: number, seed: number): Float32Array {
  const f = leveledWaveField({ shape: [1, height + 2 * MARGIN, width + 2 * MARGIN], voxelSizeNm: { x: 5, y: 5, z: 5 }, wavelengthNm: 70, waves: 60, seed })[0];
  return f.map((v) => (v > 0 ? 1 : 0));
}

export interface ShiftCase {
  /** Content translation applied by python: image(y, x) = base(y - dy, x - dx). */
  dy: number;
  dx: number;
  noise: number;
  seed: number;
}

export interface ShiftedImages {
  /** One width x height image per case; images[0] is the usual reference. */
  images: Float32Array[];
  /** skimage phase_cross_correlation(images[0], images[i], upsample_factor=20) as [dy, dx], with normalization=None (plain) and 'phase'; null for case 0. */
  skimage: ({ plain: [number, number]; phase: [number, number] } | null)[];
}

/** Runs shift_reference.py: every case cropped from the interior of the shifted base. */
export function shiftedImages(base: Float32Array, width: number, height: number, cases: ShiftCase[]): ShiftedImages {
  const { dir, cleanup } = tempDir('fibrecon-register-');
  try {
    const bw = width + 2 * MARGIN;
    const bh = height + 2 * MARGIN;
    writeFileSync(join(dir, 'base.f32'), Buffer.from(base.buffer, base.byteOffset, base.byteLength));
    const script = readFileSync(join(__dirname, 'shift_reference.py'), 'utf8');
    const out = runPython(script, [join(dir, 'base.f32'), String(bh), String(bw), dir, String(MARGIN), String(MARGIN), String(height), String(width)], JSON.stringify(cases));
    const images = cases.map((_, i) => {
      const b = readFileSync(join(dir, `case_${i}.f32`));
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    });
    return { images, skimage: JSON.parse(out) };
  } finally {
    cleanup();
  }
}
