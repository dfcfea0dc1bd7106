// Progress of a long job: one shape for the CLI (stderr), the workers and the UI.

export interface Progress {
  /** 0..1 */
  fraction: number;
  /** What is happening now, with units. */
  message: string;
  /** Estimated seconds left, when it can be estimated. */
  etaS?: number;
}

export type ProgressCallback = (p: Progress) => void;

/** Estimates time left from the fraction done and the time spent. */
export function progressTracker(onProgress: ProgressCallback | undefined, minIntervalMs = 200): (fraction: number, message: string) => void {
  const start = performance.now();
  let last = -Infinity;
  return (fraction, message) => {
    if (!onProgress) return;
    const now = performance.now();
    if (fraction < 1 && now - last < minIntervalMs) return;
    last = now;
    const elapsed = (now - start) / 1000;
    const etaS = fraction > 0.02 && fraction < 1 ? (elapsed * (1 - fraction)) / fraction : undefined;
    onProgress({ fraction: Math.min(1, Math.max(0, fraction)), message, etaS });
  };
}
