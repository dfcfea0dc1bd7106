// A held-out stack of the app's own generator in memory: the hierarchical
// nanoporous-gold preset written by writeSyntheticSample, read back, the grey stack
// of one beam energy cut to the structure's region (no ruler band), and its truth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '../../src-shared/volume';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { hnpgPreset, writeSyntheticSample } from '../../src-main/synth/write-synthetic-sample';

export function cropToRoi(v: Volume, roi: { x: number; y: number; width: number; height: number }): Volume {
  const slices = v.slices.map((s) => {
    const out = new Uint8Array(roi.width * roi.height);
    for (let y = 0; y < roi.height; y++) out.set((s as Uint8Array).subarray((roi.y + y) * v.shape[2] + roi.x, (roi.y + y) * v.shape[2] + roi.x + roi.width), y * roi.width);
    return out;
  });
  return { ...v, shape: [v.shape[0], roi.height, roi.width], slices };
}

/** shape (z, y, x) of the structure; the grey stack at `kv` (TLD) and the truth's label slices. */
export async function appSyntheticStack(shape: readonly [number, number, number], seed: number, kv = 2): Promise<{ grey: Volume; truth: Uint8Array[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-app-stack-'));
  try {
    const sample = await writeSyntheticSample(dir, hnpgPreset({ columns: shape[2], rows: shape[1], slices: shape[0], seed }));
    const truth = (await readTiffVolume([sample.files.truth])).slices as Uint8Array[];
    const stack = sample.files.stacks.find((s) => s.beam.energyKeV === kv);
    if (!stack) throw new Error(`no ${kv} kV stack in the synthetic sample`);
    return { grey: cropToRoi(await readTiffVolume([stack.path]), sample.roi), truth };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
