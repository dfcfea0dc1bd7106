// What the Electron shell and the HTTP bridge wrap: one object that answers every
// method of the contract (validating its input) and publishes job events.
import type { ApiMethod, JobEvent } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';

export interface ApiBackend {
  /** Validates `input` against the method's schema, runs it, never throws. */
  call(method: ApiMethod, input: unknown): Promise<Result<unknown>>;
  /** Every job's events on one channel. Returns an unsubscribe function. */
  onJobEvent(listener: (e: JobEvent) => void): () => void;
  /** Cancels running jobs and closes the project. */
  dispose(): Promise<void>;
}
