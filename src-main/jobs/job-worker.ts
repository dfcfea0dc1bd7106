// Entry point of a job's worker thread: heavy work never runs on the Electron
// main thread. Gets its JobSpec as workerData, reports on the parent port,
// stops at the next check when asked to cancel.
import { parentPort, workerData } from 'node:worker_threads';
import { isCancelled, toErrorValue } from '../../src-shared/errors';
import type { JobSpec, ParentToWorker, WorkerToParent } from './job-spec';
import { runJob } from './run-job';

const port = parentPort;
if (!port) throw new Error('job-worker must run in a worker thread');
const post = (m: WorkerToParent) => port.postMessage(m);
const abort = new AbortController();
port.on('message', (m: ParentToWorker) => {
  if (m.type === 'cancel') abort.abort();
});

runJob(workerData as JobSpec, {
  signal: abort.signal,
  onProgress: (progress) => post({ type: 'progress', progress }),
  onNotice: (message) => post({ type: 'notice', message }),
})
  .then(({ message, result }) => post({ type: 'done', message, result }))
  .catch((e: unknown) => post({ type: 'failed', error: isCancelled(e) ? { tag: 'cancelled', message: 'Cancelled: the project is unchanged.' } : toErrorValue(e) }))
  .finally(() => port.close());
