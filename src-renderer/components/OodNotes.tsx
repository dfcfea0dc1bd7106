// Beside a segmentation result: the model's out-of-distribution warning (or its all
// clear) and, for method auto, which method ran and why (with the scores on the
// annotations when they decided).
import { autoScoresLine } from './auto-text';
import { oodNotes } from './ood-text';

export function OodNotesView({ metadata }: { metadata: Record<string, unknown> }) {
  const n = oodNotes(metadata);
  const scores = autoScoresLine(metadata);
  return (
    <>
      {n.auto && <p className="auto-choice">{n.auto}</p>}
      {scores && <p className="auto-scores">{scores}</p>}
      {n.warning && (
        <p className="notice ood-warning" role="alert">
          {n.warning}
        </p>
      )}
      {n.note && <p className="ood-note">{n.note}</p>}
    </>
  );
}
