// Worker thread that compresses slices for the encoder pool: the byte-plane
// split and the deflate both run here, off the importing thread.
import { parentPort } from 'node:worker_threads';
import type { SliceArray } from '../../src-shared/dtype';
import { encodeSliceSync } from './slice-codec';

const port = parentPort;
if (!port) throw new Error('slice-encoder-worker must run in a worker thread');
port.on('message', (m: { id: number; slice: SliceArray }) => {
  try {
    const blob = encodeSliceSync(m.slice);
    port.postMessage({ id: m.id, blob }, [blob.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: m.id, error: (e as Error).message });
  }
});
