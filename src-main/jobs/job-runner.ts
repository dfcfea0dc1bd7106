// Starts jobs in worker threads and turns their messages into JobEvents on one
// channel. The worker file sits next to this one: job-worker.ts in the sources
// (run through tsx), job-worker.js in a build.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { AnnotationScores, JobEvent, JobKind } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { JobSpec, ParentToWorker, WorkerToParent } from './job-spec';
import { spawnWorker } from './spawn-worker';

type Listener = (e: JobEvent) => void;


export class JobRunner {
  private readonly workers = new Map<string, { worker: Worker; kind: JobKind }>();
  private readonly listeners = new Set<Listener>();

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: JobEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Starts a job; resolves with its id at once. Its end comes as a 'done', 'failed' or 'cancelled' event. */
  start(spec: JobSpec): string {
    const jobId = randomUUID();
    const worker = spawnWorker(import.meta.url, 'job-worker', { workerData: spec });
    const kind = spec.kind;
    this.workers.set(jobId, { worker, kind });
    let ended = false;
    const end = (e: JobEvent) => {
      if (ended) return;
      ended = true;
      this.workers.delete(jobId);
      this.emit(e);
    };
    worker.on('message', (m: WorkerToParent) => {
      if (m.type === 'progress') this.emit({ jobId, kind, type: 'progress', ...m.progress });
      else if (m.type === 'notice') this.emit({ jobId, kind, type: 'log', message: m.message });
      // Only the comparison's table travels to the renderer; other results stay in the project.
      else if (m.type === 'done') end({ jobId, kind, type: 'done', message: m.message, ...(kind === 'compare' ? { scores: m.result as AnnotationScores } : {}) });
      else if (m.error.tag === 'cancelled') end({ jobId, kind, type: 'cancelled', message: m.error.message });
      else end({ jobId, kind, type: 'failed', error: m.error });
    });
    worker.on('error', (err) => end({ jobId, kind, type: 'failed', error: { tag: 'internal', message: `The ${kind} job crashed: ${err.message}. The project is unchanged.` } }));
    worker.on('exit', (code) => {
      if (code !== 0) end({ jobId, kind, type: 'failed', error: { tag: 'internal', message: `The ${kind} job stopped unexpectedly (exit code ${code}). The project is unchanged.` } });
    });
    return jobId;
  }

  cancel(jobId: string): void {
    const job = this.workers.get(jobId);
    if (!job) throw new AppError('not_found', `No running job ${jobId}: it may have finished already.`);
    job.worker.postMessage({ type: 'cancel' } satisfies ParentToWorker);
  }

  get running(): number {
    return this.workers.size;
  }

  /** Cancels every job and waits for the workers to end. */
  async stopAll(): Promise<void> {
    const all = [...this.workers.values()];
    await Promise.all(
      all.map(
        ({ worker }) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.postMessage({ type: 'cancel' } satisfies ParentToWorker);
          }),
      ),
    );
  }
}
