// Every segmentation method scored on the user's own annotations, in one table, so
// that the choice is made by evidence on this sample: the classical thresholds and
// the shipped single-stack models label the annotated slices (they never saw the
// annotations), and the pixel classifier is scored on painted pixels of slices it
// did not learn from (cross-validation), with its whole-slice estimate beside it.
// Reads only: nothing is written to the project.
import type { Database } from 'better-sqlite3';
import type { AnnotationScores, MethodScore } from '../../src-shared/contract';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { inputStacks, loadModelCard } from '../inference/model-card';
import { gatherSamples } from '../project/annotation-store';
import { loadVolume } from '../project/save-volume';
import { addToConfusion, classMetrics, emptyConfusion } from './pixel-classifier';
import { classical } from './segment-volume';
import { listModelNames, resolveModelPath } from './model-files';
import { previewStoredSegmentation } from './segment-preview';
import { trainFromAnnotations } from './segment-classifier';
import { PORE_VALUE, SOLID_VALUE } from './trained-classifier/pixel-classifier';

export type { AnnotationScores, MethodScore };

const CLASSICAL = ['otsu', 'multi-otsu', 'kmeans', 'hybrid'] as const;

/** The shipped models that read one grey stack (2D, 2.5D, 3D segmentation). */
export async function singleStackModels(): Promise<string[]> {
  const out: string[] = [];
  for (const name of listModelNames()) {
    const card = await loadModelCard(resolveModelPath(name));
    if (card.kind !== 'inpainting' && inputStacks(card) === 1) out.push(name);
  }
  return out;
}

export async function scoreOnAnnotations(
  db: Database,
  volume: string,
  opts: { models?: string[]; signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): Promise<AnnotationScores> {
  const samples = gatherSamples(db, volume);
  const slices = [...new Set(Array.from(samples.z))].sort((a, b) => a - b);
  let pore = 0;
  let solid = 0;
  for (const v of samples.classValue) v === SOLID_VALUE ? solid++ : v === PORE_VALUE ? pore++ : 0;
  if (pore === 0 || solid === 0) {
    throw new AppError('invalid_input', `The annotations of "${volume}" hold ${pore} pore and ${solid} solid pixels: paint both classes before comparing methods.`);
  }
  const truthOf = (i: number) => (samples.classValue[i] === SOLID_VALUE ? 1 : 0);
  const bySlice = new Map<number, number[]>();
  for (let i = 0; i < samples.count; i++) {
    if (samples.classValue[i] !== PORE_VALUE && samples.classValue[i] !== SOLID_VALUE) continue;
    const l = bySlice.get(samples.z[i]);
    if (l) l.push(i);
    else bySlice.set(samples.z[i], [i]);
  }
  const score = (method: string, labelsOf: (z: number) => Promise<Uint8Array> | Uint8Array, basis: string, model?: string): Promise<MethodScore> =>
    (async () => {
      const cm = emptyConfusion(2);
      for (const [z, idx] of bySlice) {
        throwIfAborted(opts.signal);
        const labels = await labelsOf(z);
        addToConfusion(
          cm,
          idx.map(truthOf),
          idx.map((i) => labels[samples.pixel[i]]),
        );
      }
      const m = classMetrics(cm, 1);
      return { method, ...(model ? { model } : {}), mpPercent: m.mp, mgpPercent: m.mgp, meanIoU: m.miou, pixels: m.n, basis };
    })();

  const scores: MethodScore[] = [];
  const models = opts.models ?? (await singleStackModels());
  const steps = CLASSICAL.length + models.length + 1;
  let step = 0;
  const progress = (what: string) => opts.onProgress?.({ fraction: step++ / steps, message: `Scoring ${what} on the annotations` });
  const grey = await loadVolume(db, volume, opts.signal);
  for (const m of CLASSICAL) {
    progress(m);
    const run = (z: number) => classical(m)(grey, { signal: opts.signal, onlySlice: z }).labels.slices[z] as Uint8Array;
    scores.push(await score(m, run, 'thresholds from the whole stack, labels of the annotated slices'));
  }
  for (const name of models) {
    progress(name);
    const run = async (z: number) => (await previewStoredSegmentation(db, { volume, z, method: 'model', model: name, ep: 'auto' }, opts.signal)).labels;
    scores.push(await score('model', run, 'the shipped model on the annotated slices', name));
  }
  progress('the pixel classifier');
  const c = await trainFromAnnotations(db, [volume], { signal: opts.signal });
  const e = c.estimate;
  if (e && e.mpPercent !== null) {
    scores.push({
      method: 'pixel-classifier',
      mpPercent: e.mpPercent,
      mgpPercent: e.mgpPercent ?? NaN,
      meanIoU: e.meanIoU ?? NaN,
      pixels: e.pixels,
      basis: `painted pixels of slices it did not learn from (${e.note})`,
      wholeSliceMpPercent: e.wholeSliceMpPercent,
    });
  }
  const best = scores.reduce((a, b) => (b.mpPercent < a.mpPercent ? b : a));
  const label = (s: MethodScore) => (s.model ? `model ${s.model}` : s.method);
  const runnerUp = scores.filter((s) => s !== best).reduce((a, b) => (b.mpPercent < a.mpPercent ? b : a));
  return {
    volume,
    annotationVersion: samples.version,
    slices,
    pixels: samples.count,
    scores,
    best: {
      method: best.method,
      ...(best.model ? { model: best.model } : {}),
      reason: `${label(best)} misplaces ${best.mpPercent.toFixed(2)} % of your ${best.pixels} annotated pixels, the fewest (next: ${label(runnerUp)}, ${runnerUp.mpPercent.toFixed(2)} %).`,
    },
  };
}

/** The table as text, with units. */
export function formatScores(s: AnnotationScores): string {
  const lines = [
    `Methods scored on the annotations of "${s.volume}" (version ${s.annotationVersion}; ${s.pixels} pixels on slices ${s.slices.join(', ')}):`,
    'method                      MP %    MGP %   mIoU    pixels  scored on',
  ];
  for (const r of s.scores) {
    const name = (r.model ? `model ${r.model}` : r.method).padEnd(26);
    lines.push(`${name} ${r.mpPercent.toFixed(2).padStart(6)} ${(r.mgpPercent ?? NaN).toFixed(2).padStart(7)}  ${(r.meanIoU ?? NaN).toFixed(3)} ${String(r.pixels).padStart(8)}  ${r.basis}`);
    if (r.wholeSliceMpPercent != null) lines.push(`${''.padEnd(26)} (whole annotated slices: estimated MP ${r.wholeSliceMpPercent.toFixed(2)} %)`);
  }
  lines.push(`Best on your annotations: ${s.best.reason}`);
  return lines.join('\n');
}
