// Method 'auto' on a stored volume: gather the evidence (the stack's histogram, Otsu's
// and k-means' labels on a sample of crops with the steepness of the edges their
// boundaries follow, the default model's out-of-distribution check and, where the user
// has painted pore and solid on this volume, every method scored on those annotations
// as `fibrecon compare` scores them), let chooseAutoMethod decide, then run the chosen
// method as `fibrecon segment` would; the run record and the result say which method
// ran and why, with the scores.
import type { Database } from 'better-sqlite3';
import type { MethodScore } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { DEFAULT_SEGMENT_MODEL } from '../../src-shared/pipeline-methods';
import type { EpChoice } from '../inference/session';
import { loadModel } from '../inference/load-model';
import { inputStacks, loadModelCard } from '../inference/model-card';
import { countsPerClass, findAnnotationTarget } from '../project/annotation-store';
import { appendRunLog } from '../project/runs';
import { getVolume, readSlice, volumeNameExists, type StoredVolume } from '../project/volume-store';
import { chooseAutoMethod, chooseClassical, type AnnotationsUsed, type AutoChoice, type AutoEvidence, type RunnableMethod } from './auto-method';
import { classicalEvidence } from './classical-evidence';
import { listModelNames, resolveModelPath } from './model-files';
import { assessModelOnVolume, oodApplies, storedHistogram } from './model-ood';
import { decideStackScale } from './scale/stack-scale';
import { loadOodCalibration } from './ood-calibration-file';
import type { OodReport } from './ood/assess';
import { sampleCrops } from './ood/flip-consistency';
import { scoreOnAnnotations, singleStackModels } from './score-on-annotations';
import { PORE_VALUE, SOLID_VALUE } from './trained-classifier/pixel-classifier';
import type { SegmentContext, SegmentReport, SegmentRequest } from './segment-volume';

/** What method 'auto' stores with the result and in the run record. */
export interface AutoRecord extends AutoChoice {
  evidence: AutoEvidence;
  /** The model's check in one sentence (when a model was checked). */
  oodSentence?: string;
  /** Every method scored on the annotations (as `fibrecon compare`), when they decided. */
  annotationScores?: MethodScore[];
  /** Why the volume's annotations were not used (stale, or a class not painted); absent when it has none. */
  annotationsNotUsed?: string;
}

const RUNNABLE: readonly string[] = ['otsu', 'multi-otsu', 'kmeans', 'hybrid', 'model', 'pixel-classifier'] satisfies RunnableMethod[];

/**
 * The annotations of `source` that auto scores the methods on: current (made on this very
 * volume) with pore and solid both painted. Otherwise why not (null: it has none at all).
 */
export function annotationsForAuto(db: Database, source: StoredVolume): { use: true; annotations: AnnotationsUsed } | { use: false; why: string | null } {
  const t = findAnnotationTarget(db, source.name);
  if (!t.set) return { use: false, why: null };
  if (t.status !== 'current') {
    return { use: false, why: `the annotations of "${source.name}" were made on an earlier volume of that name (stale): export and re-import them, or clear them` };
  }
  const { perSlice, total } = countsPerClass(db, source.name);
  const pore = total[String(PORE_VALUE)] ?? 0;
  const solid = total[String(SOLID_VALUE)] ?? 0;
  if (pore === 0 && solid === 0) return { use: false, why: null };
  if (pore === 0 || solid === 0) {
    return { use: false, why: `the annotations of "${source.name}" hold ${pore} pore and ${solid} solid pixels: paint ${pore === 0 ? 'pore' : 'solid'} too for auto to score the methods on them` };
  }
  return { use: true, annotations: { version: t.set.version, pixels: pore + solid, slices: perSlice.filter((s) => (s.counts[String(PORE_VALUE)] ?? 0) + (s.counts[String(SOLID_VALUE)] ?? 0) > 0).map((s) => s.z) } };
}

/** The models auto scores on annotations: compare's list (every installed one-stack segmentation model), plus a --model of one stack not among them. */
async function candidateModels(model: string | undefined): Promise<string[]> {
  const names = await singleStackModels();
  if (model !== undefined && !names.includes(model)) {
    const card = await loadModelCard(resolveModelPath(model));
    if (card.kind !== 'inpainting' && inputStacks(card) === 1) names.push(model);
  }
  return names;
}

export interface AutoDecision {
  choice: AutoChoice;
  record: AutoRecord;
  ood?: OodReport;
}

const NAMES = { otsu: 'Otsu', kmeans: 'k-means' } as const;

/** Gathers the evidence on a stored grey volume and decides; runs nothing over the whole stack. */
export async function decideAutoMethod(
  db: Database,
  source: StoredVolume,
  opts: { model?: string; ep?: EpChoice; tile?: number; batchSize?: number; rescale?: boolean; signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): Promise<AutoDecision> {
  if (source.dtype === 'float32') {
    throw new AppError('unsupported_format', `"${source.name}" holds float values: method auto needs an 8- or 16-bit grey stack (convert it first).`);
  }
  const histogram = await storedHistogram(db, source, opts.signal, opts.onProgress);
  const { rows, columns, blocks } = await sampleCrops((z) => readSlice(db, source, z), source.shape, { signal: opts.signal });
  const classical = classicalEvidence(blocks.flatMap((b) => b.slices), rows, columns, histogram);
  const alternative = NAMES[chooseClassical(classical).method];

  const name = opts.model ?? DEFAULT_SEGMENT_MODEL;
  let ood: OodReport | undefined;
  let modelUnavailable: string | undefined;
  if (opts.model === undefined && !listModelNames().includes(name)) {
    modelUnavailable = `the default model ${name} is not installed`;
  } else {
    const model = await loadModel(resolveModelPath(name), { ep: opts.ep ?? 'auto' });
    try {
      if (!oodApplies(model.card, source)) {
        modelUnavailable = `${model.card.name} is not a model of one grey stack`;
      } else {
        // Checked at the in-plane scale the model run would see (segment-volume.ts makes the same decision).
        const trainedChord = model.card.trainedRange?.otsuChordPx;
        const scale = opts.rescale !== false && trainedChord ? await decideStackScale((z) => readSlice(db, source, z), source.shape, trainedChord, { signal: opts.signal }) : undefined;
        ood = await assessModelOnVolume(db, source, model, {
          calibration: loadOodCalibration(),
          histogram,
          tile: opts.tile,
          batchSize: opts.batchSize,
          alternative,
          scale: scale?.factor,
          signal: opts.signal,
          onProgress: opts.onProgress,
        });
      }
    } finally {
      await model.session.release();
    }
  }
  // The user's annotations, where they can be used, decide: every method scored on them, as `fibrecon compare` does.
  const painted = annotationsForAuto(db, source);
  let table: MethodScore[] | undefined;
  if (painted.use) {
    const scores = await scoreOnAnnotations(db, source.name, { models: await candidateModels(opts.model), signal: opts.signal, onProgress: opts.onProgress });
    table = scores.scores;
  }
  const evidence: AutoEvidence = {
    ...(table && painted.use
      ? {
          annotationScores: table.filter((s) => RUNNABLE.includes(s.method)).map((s) => ({ method: s.method as RunnableMethod, ...(s.model ? { model: s.model } : {}), mpPercent: s.mpPercent })),
          annotations: painted.annotations,
        }
      : {}),
    ...(ood ? { model: { name: ood.model, score: ood.score, threshold: ood.threshold, outOfDepth: ood.outOfDepth } } : { modelUnavailable }),
    classical,
  };
  const choice = chooseAutoMethod(evidence);
  const record: AutoRecord = {
    ...choice,
    evidence,
    ...(ood ? { oodSentence: ood.sentence } : {}),
    ...(table ? { annotationScores: table } : {}),
    ...(!painted.use && painted.why ? { annotationsNotUsed: painted.why } : {}),
  };
  // The default model's check goes with the run only when that model runs.
  const sameModel = ood !== undefined && choice.method === 'model' && choice.model === ood.model;
  return { choice, ood: sameModel ? ood : undefined, record };
}

type RunStep = (db: Database, req: SegmentRequest, ctx: SegmentContext) => Promise<SegmentReport>;

/** Method 'auto': decide, record why in the run, then run the chosen method through `run` (segmentStoredVolume). */
export async function autoSegmentStoredVolume(db: Database, req: SegmentRequest, ctx: SegmentContext, run: RunStep): Promise<SegmentReport> {
  if (req.volumes && req.volumes.length > 1) throw new AppError('invalid_input', `Method auto segments one volume, got ${req.volumes.join(', ')}.`);
  const volumeName = req.volumes?.[0] ?? req.volume;
  if (volumeNameExists(db, req.out)) throw new AppError('invalid_input', `The project already has a volume named "${req.out}": choose another output name.`);
  if (!volumeNameExists(db, volumeName) && volumeName.includes(',')) {
    throw new AppError('invalid_input', `Method auto segments one volume, got "${volumeName}": name one grey volume.`);
  }
  const source = getVolume(db, volumeName);
  const runId = ctx.startRun({ volume: source.name, method: 'auto', model: req.model ?? DEFAULT_SEGMENT_MODEL, out: req.out });
  const d = await decideAutoMethod(db, source, { model: req.model, ep: req.ep, tile: req.tile, batchSize: req.batchSize, rescale: req.rescale, signal: ctx.signal, onProgress: ctx.onProgress });
  appendRunLog(db, runId, `auto chose ${d.choice.method === 'model' ? `model ${d.choice.model}` : d.choice.method}: ${d.choice.reason}`);
  if (d.record.annotationScores) {
    const a = d.record.evidence.annotations;
    appendRunLog(
      db,
      runId,
      `auto scores on the annotations ${JSON.stringify({ version: a?.version, pixels: a?.pixels, slices: a?.slices, scores: d.record.annotationScores.map((s) => ({ method: s.method, ...(s.model ? { model: s.model } : {}), mpPercent: s.mpPercent, mgpPercent: s.mgpPercent, meanIoU: s.meanIoU, pixels: s.pixels })) })}`,
    );
  } else if (d.record.annotationsNotUsed) {
    appendRunLog(db, runId, `auto did not use the annotations: ${d.record.annotationsNotUsed}`);
  }
  const chosen: SegmentRequest = { ...req, volume: source.name, volumes: undefined, method: d.choice.method, model: d.choice.method === 'model' ? d.choice.model : undefined };
  // The chosen method's run is this run: its parameters go to the log.
  const startRun = (params: Record<string, unknown>): number => {
    appendRunLog(db, runId, `ran ${JSON.stringify(params)}`);
    return runId;
  };
  return run(db, chosen, { ...ctx, startRun, auto: { record: d.record, ood: d.ood } });
}
