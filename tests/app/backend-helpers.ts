// Shared by the backend tests: unwrap a Result, and wait for a job's end event.
import type { JobEvent } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';

export function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.tag}: ${r.error.message}`);
  return r.value as T;
}

/** Polls the recorded events until job `jobId` is done, failed or cancelled (at most 2 min). */
export async function finished(events: readonly JobEvent[], jobId: string): Promise<JobEvent> {
  for (let i = 0; i < 1200; i++) {
    const end = events.find((e) => e.jobId === jobId && (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled'));
    if (end) return end;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}
