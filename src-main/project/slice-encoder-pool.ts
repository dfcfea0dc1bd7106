// Compresses slices on worker threads so that the importing thread only reads,
// hashes and writes: on two cores the import then uses both. With one core (or
// when workers are turned off) it compresses in-thread through libuv's pool.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import { spawnWorker } from '../jobs/spawn-worker';
import { encodeSlice } from './slice-codec';

type Pending = { resolve: (b: Buffer) => void; reject: (e: unknown) => void };

export interface SliceEncoder {
  /** Compresses a slice; the slice's buffer is transferred (unusable afterwards) when workers are used. */
  encode(slice: SliceArray): Promise<Buffer>;
  close(): Promise<void>;
}

export function createSliceEncoder(workers = availableParallelism()): SliceEncoder {
  if (workers === 0) return { encode: encodeSlice, close: async () => {} };
  const pool: { worker: Worker; load: number }[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  for (let i = 0; i < workers; i++) {
    const worker = spawnWorker(import.meta.url, 'slice-encoder-worker');
    worker.unref();
    worker.on('message', (m: { id: number; blob?: Uint8Array; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      entry.load--;
      if (!p) return;
      if (m.blob) p.resolve(Buffer.from(m.blob.buffer, m.blob.byteOffset, m.blob.byteLength));
      else p.reject(new AppError('internal', `Compressing a slice failed: ${m.error}.`));
    });
    worker.on('error', (e) => {
      for (const p of pending.values()) p.reject(new AppError('internal', `The compression worker crashed: ${e.message}.`));
      pending.clear();
    });
    const entry = { worker, load: 0 };
    pool.push(entry);
  }
  return {
    encode(slice) {
      const entry = pool.reduce((a, b) => (b.load < a.load ? b : a));
      const id = nextId++;
      entry.load++;
      return new Promise<Buffer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Transfer, never clone: a view into a larger buffer is first copied out.
        const own = slice.byteOffset === 0 && slice.byteLength === slice.buffer.byteLength ? slice : slice.slice();
        entry.worker.postMessage({ id, slice: own }, [own.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await Promise.all(pool.map((p) => p.worker.terminate()));
    },
  };
}
