// Worker thread that computes SHA-256 of input files, one request at a time,
// so that hashing (as costly as reading) runs beside the import, not in it.
import { parentPort } from 'node:worker_threads';
import { sha256File } from './hash-file';

const port = parentPort;
if (!port) throw new Error('hash-worker must run in a worker thread');
port.on('message', (m: { id: number; path: string }) => {
  sha256File(m.path).then(
    (sha256) => port.postMessage({ id: m.id, sha256 }),
    (e: unknown) => port.postMessage({ id: m.id, error: (e as Error).message }),
  );
});
