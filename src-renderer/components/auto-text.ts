// What the Segmentation step says about method auto (no DOM): before the run, which
// method it will choose and why when that is already known (the comparison on the
// current annotations, which auto repeats), or else how it will choose; after the
// run, the scores it chose by. Pure, so that Node tests check every sentence.
import type { AnnotationScores, AnnotationSummary, SegmentPreview } from '../../src-shared/contract';
import { percentText, scoreRowName } from './compare-text';

/** The classes auto needs painted to score methods on the annotations: 1 = pore, 2 = solid. */
const SCORED_CLASSES = [1, 2] as const;

export interface AutoPlan {
  /**
   * 'known': the comparison on the current annotations names the method auto will run;
   * 'annotations': auto will score the methods on the annotations during the run;
   * 'measurement': no usable annotations, auto measures the stack during the run.
   */
  kind: 'known' | 'annotations' | 'measurement';
  text: string;
  /** For 'known': the method (and model) auto will run. */
  method?: string;
  model?: string;
}

export const AUTO_BY_MEASUREMENT = 'auto: chooses by measurement — the choice and the reason appear in the run log/result.';

const painted = (s: AnnotationSummary): number => SCORED_CLASSES.reduce((n, v) => n + (s.totals[String(v)] ?? 0), 0);

/**
 * What auto will do on this volume, known before the run without running anything.
 * summary: the volume's annotation summary (null: none read yet); scores: the last comparison
 * (any volume); models: the installed one-stack segmentation models (null: not listed yet),
 * which auto scores all of.
 */
export function autoPlan(volume: string, summary: AnnotationSummary | null, scores: AnnotationScores | null, models: readonly string[] | null): AutoPlan {
  const usable = summary !== null && summary.volume === volume && summary.status === 'current' && SCORED_CLASSES.every((v) => (summary.totals[String(v)] ?? 0) > 0);
  if (!usable) {
    let why = '';
    if (summary !== null && summary.volume === volume && (summary.status === 'replaced' || summary.status === 'volume_missing')) {
      why = ' Your annotations of this volume are stale (made on an earlier volume of that name), so auto does not use them.';
    } else if (summary !== null && summary.volume === volume && painted(summary) > 0) {
      const missing = SCORED_CLASSES.filter((v) => !((summary.totals[String(v)] ?? 0) > 0)).map((v) => (v === 1 ? 'pore' : 'solid'));
      why = ` Paint ${missing.join(' and ')} too and auto chooses by your annotations instead.`;
    }
    return { kind: 'measurement', text: `${AUTO_BY_MEASUREMENT} (The default model where its out-of-distribution check passes, else Otsu or k-means by their boundaries.)${why}` };
  }
  const n = painted(summary);
  // The comparison is what auto computes when it was made on these very annotations with every model auto scores.
  const complete =
    scores !== null &&
    models !== null &&
    scores.volume === volume &&
    scores.annotationVersion === summary.version &&
    models.every((m) => scores.scores.some((s) => s.method === 'model' && s.model === m));
  if (complete) {
    const name = scoreRowName(scores.best);
    const best = scores.scores.find((s) => s.method === scores.best.method && (s.model ?? null) === (scores.best.model ?? null));
    return {
      kind: 'known',
      method: scores.best.method,
      ...(scores.best.model ? { model: scores.best.model } : {}),
      text: `auto will run ${name}: the lowest MP on your annotations${best ? `, ${percentText(best.mpPercent)}` : ''} in the comparison below (annotation version ${summary.version}). The run scores the methods again and records the scores with its choice.`,
    };
  }
  return {
    kind: 'annotations',
    text: `auto: chooses by your annotations — the run scores every method on the ${n} painted pixels (as the comparison below does) and runs the one with the lowest MP; the choice and the reason appear in the run log/result.`,
  };
}

/** Method auto's choice in a preview (the whole stack's evidence decides; the chosen method labels the slice). */
export function autoPreviewLine(a: NonNullable<SegmentPreview['auto']>): string {
  return `auto would run ${a.model ? `model ${a.model}` : a.method} on the whole stack: ${a.reason}`;
}

interface RecordedScore {
  method?: unknown;
  model?: unknown;
  mpPercent?: unknown;
}

/** After a run of auto that chose by the annotations: the MP of every method on them, lowest first. */
export function autoScoresLine(metadata: Record<string, unknown>): string | null {
  const auto = metadata.auto as { basis?: unknown; annotationScores?: unknown } | undefined;
  if (auto?.basis !== 'annotations' || !Array.isArray(auto.annotationScores)) return null;
  const rows = (auto.annotationScores as RecordedScore[])
    .filter((s) => typeof s.method === 'string' && typeof s.mpPercent === 'number')
    .map((s) => ({ name: scoreRowName({ method: s.method as string, ...(typeof s.model === 'string' ? { model: s.model } : {}) }), mp: s.mpPercent as number }))
    .sort((a, b) => a.mp - b.mp);
  if (rows.length === 0) return null;
  return `MP on your annotations: ${rows.map((r) => `${r.name} ${percentText(r.mp)}`).join(', ')}.`;
}
