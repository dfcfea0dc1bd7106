// Method 'auto' on a stored volume: gather the evidence (the stack's histogram, Otsu's
// and k-means' labels on a sample of crops with the steepness of the edges their
// boundaries follow, the default model's out-of-distribution check), let
// chooseAutoMethod decide, then run the chosen method as `fibrecon segment` would;
// the run record and the result say which method ran and why.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { DEFAULT_SEGMENT_MODEL } from '../../src-shared/pipeline-methods';
import type { EpChoice } from '../inference/session';
import { loadModel } from '../inference/load-model';
import { appendRunLog } from '../project/runs';
import { getVolume, readSlice, volumeNameExists, type StoredVolume } from '../project/volume-store';
import { chooseAutoMethod, chooseClassical, type AutoChoice, type AutoEvidence } from './auto-method';
import { classicalEvidence } from './classical-evidence';
import { listModelNames, resolveModelPath } from './model-files';
import { assessModelOnVolume, oodApplies, storedHistogram } from './model-ood';
import { loadOodCalibration } from './ood-calibration-file';
import type { OodReport } from './ood/assess';
import { sampleCrops } from './ood/flip-consistency';
import type { SegmentContext, SegmentReport, SegmentRequest } from './segment-volume';

/** What method 'auto' stores with the result and in the run record. */
export interface AutoRecord extends AutoChoice {
  evidence: AutoEvidence;
  /** The model's check in one sentence (when a model was checked). */
  oodSentence?: string;
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
  opts: { model?: string; ep?: EpChoice; tile?: number; batchSize?: number; signal?: AbortSignal; onProgress?: ProgressCallback } = {},
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
        ood = await assessModelOnVolume(db, source, model, { calibration: loadOodCalibration(), histogram, tile: opts.tile, batchSize: opts.batchSize, alternative, signal: opts.signal, onProgress: opts.onProgress });
      }
    } finally {
      await model.session.release();
    }
  }
  const evidence: AutoEvidence = {
    ...(ood ? { model: { name: ood.model, score: ood.score, threshold: ood.threshold, outOfDepth: ood.outOfDepth } } : { modelUnavailable }),
    classical,
  };
  const choice = chooseAutoMethod(evidence);
  return { choice, ood, record: { ...choice, evidence, ...(ood ? { oodSentence: ood.sentence } : {}) } };
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
  const d = await decideAutoMethod(db, source, { model: req.model, ep: req.ep, tile: req.tile, batchSize: req.batchSize, signal: ctx.signal, onProgress: ctx.onProgress });
  appendRunLog(db, runId, `auto chose ${d.choice.method === 'model' ? `model ${d.choice.model}` : d.choice.method}: ${d.choice.reason}`);
  const chosen: SegmentRequest = { ...req, volume: source.name, volumes: undefined, method: d.choice.method, model: d.choice.method === 'model' ? d.choice.model : undefined };
  // The chosen method's run is this run: its parameters go to the log.
  const startRun = (params: Record<string, unknown>): number => {
    appendRunLog(db, runId, `ran ${JSON.stringify(params)}`);
    return runId;
  };
  return run(db, chosen, { ...ctx, startRun, auto: { record: d.record, ood: d.ood } });
}
