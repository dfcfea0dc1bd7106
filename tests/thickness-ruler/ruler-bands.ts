// Ruler bands drawn as the synthetic sample draws them (src-main/synth/milling/ruler.ts
// through the image chain of simulate-stack.ts), above rows of random "structure".
import { defaultRulerGeometry, planMilling, rulerBandSignal, type RulerGeometry } from '../../src-main/synth/milling';
import { addDetectorNoise, backscatterCoefficient, blurEdges, DEFAULT_DISPLAY, DEFAULT_NOISE, GOLD, quantise, type NoiseParams } from '../../src-main/synth/image';
import { seededRandom } from '../../src-main/synth/seeded-random';

export interface RulerStack {
  slices: (Uint8Array | Uint16Array | Float32Array)[];
  width: number;
  height: number;
  geometry: RulerGeometry;
  thicknessNm: number[];
  zPositionsNm: number[];
}

export function rulerStack(o: { columns: number; bandRows: number; structureRows?: number; slices: number; seed: number; noise?: NoiseParams | null; blur?: boolean; dtype?: 'uint8' | 'uint16' | 'float32'; energyKeV?: number; driftPx?: (s: number) => number }): RulerStack {
  const pixelNm = 2.5;
  const plan = planMilling({ meanNm: 10.16, sdNm: 3.12, voxelZNm: pixelNm, slices: o.slices, seed: o.seed });
  const g = defaultRulerGeometry(o.columns, pixelNm, plan.zPositionsNm[plan.zPositionsNm.length - 1], o.bandRows);
  const below = o.structureRows ?? 16;
  const height = o.bandRows + below;
  const energy = o.energyKeV ?? 2;
  const scale = DEFAULT_DISPLAY.gain / backscatterCoefficient(GOLD.z, energy);
  const rng = seededRandom(o.seed * 7 + 1);
  const slices = plan.zPositionsNm.map((z, s) => {
    const drift = o.driftPx?.(s) ?? 0;
    const geom = drift ? { ...g, parallelXNm: g.parallelXNm.map((x) => x + drift * pixelNm) as [number, number], inclinedStartXNm: g.inclinedStartXNm.map((x) => x + drift * pixelNm) as [number, number] } : g;
    const band = rulerBandSignal(geom, z, energy);
    let image: Float32Array = new Float32Array(height * o.columns);
    for (let i = 0; i < band.length; i++) image[i] = DEFAULT_DISPLAY.offset + scale * band[i];
    for (let i = band.length; i < image.length; i++) image[i] = rng.uniform() < 0.3 ? 0.85 : 0.15;
    if (o.blur ?? true) image = blurEdges(image, o.columns, height);
    if (o.noise !== null) image = addDetectorNoise(image, o.noise ?? DEFAULT_NOISE, seededRandom(o.seed, s + 1));
    return o.dtype === 'float32' ? image : quantise(image, o.dtype ?? 'uint8');
  });
  return { slices, width: o.columns, height, geometry: g, thicknessNm: plan.thicknessNm, zPositionsNm: plan.zPositionsNm };
}

export const rms = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
