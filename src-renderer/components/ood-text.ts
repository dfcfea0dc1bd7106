// What a segmentation result's metadata says about how far to trust it (no DOM): the
// model's out-of-distribution check (a warning when it looks out of its depth) and, for
// method auto, which method it chose and why. Pure, so that Node tests check it.

export interface OodNotes {
  /** The check's sentence when the model looks out of its depth. */
  warning?: string;
  /** The check's sentence when it looks at home (or could not be judged). */
  note?: string;
  /** Method auto: the method it ran and why. */
  auto?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function oodNotes(metadata: Record<string, unknown>): OodNotes {
  const out: OodNotes = {};
  const ood = metadata.ood as { outOfDepth?: unknown; sentence?: unknown } | undefined;
  const auto = metadata.auto as { reason?: unknown; oodSentence?: unknown } | undefined;
  const sentence = str(ood?.sentence) ?? str(auto?.oodSentence);
  const outOfDepth = ood ? ood.outOfDepth === true : sentence?.includes('looks out of its depth') === true;
  if (sentence) out[outOfDepth ? 'warning' : 'note'] = sentence;
  const reason = str(auto?.reason);
  if (reason) out.auto = `Chosen by auto: ${reason}`;
  return out;
}
