// SHA-256 of every input file for the provenance record, computed on one worker
// thread for the whole import (files in the order asked).
import { AppError } from '../../src-shared/errors';
import { spawnWorker } from '../jobs/spawn-worker';

export interface FileHasher {
  sha256(path: string): Promise<string>;
  close(): Promise<void>;
}

export function createFileHasher(): FileHasher {
  const worker = spawnWorker(import.meta.url, 'hash-worker');
  worker.unref();
  const pending = new Map<number, { resolve: (h: string) => void; reject: (e: unknown) => void; path: string }>();
  let nextId = 0;
  worker.on('message', (m: { id: number; sha256?: string; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.sha256) p.resolve(m.sha256);
    else p.reject(new AppError('file_not_found', `Cannot read ${p.path} to record its checksum (${m.error}): check that the file is still there.`, p.path));
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(new AppError('internal', `The checksum worker crashed: ${e.message}.`));
    pending.clear();
  });
  return {
    sha256(path) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, path });
        worker.postMessage({ id, path });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
