// The slices to export, however the caller has them: an array, a (async)
// iterable that yields them in z order, or a function that loads slice z.
// Pulled one at a time, so a streamed export holds only the current slice.

import { AppError } from '../../src-shared/errors';
import type { SliceArray } from '../../src-shared/dtype';

export type SliceSource =
  | AsyncIterable<SliceArray>
  | Iterable<SliceArray>
  | ((z: number) => SliceArray | Promise<SliceArray>);

export interface SliceReader {
  /** Slice z; must be called with z = 0, 1, 2, ... in order. */
  next(z: number): Promise<SliceArray>;
  /** Checks that nothing is left over, then releases the source. */
  finish(): Promise<void>;
  /** Releases the source early (cancel, error). */
  close(): Promise<void>;
}

export function sliceReader(source: SliceSource, nz: number): SliceReader {
  if (typeof source === 'function') {
    return { next: async (z) => source(z), finish: async () => undefined, close: async () => undefined };
  }
  const it: AsyncIterator<SliceArray> | Iterator<SliceArray> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<SliceArray>)[Symbol.asyncIterator]()
      : (source as Iterable<SliceArray>)[Symbol.iterator]();
  let done = false;
  const close = async (): Promise<void> => {
    if (done) return;
    done = true;
    await it.return?.();
  };
  return {
    async next(z) {
      const r = await it.next();
      if (r.done) {
        done = true;
        throw new AppError('size_mismatch', `The stack declares ${nz} slices but only ${z} were given.`);
      }
      return r.value;
    },
    async finish() {
      if (done) return;
      const r = await it.next();
      if (!r.done) {
        await close();
        throw new AppError('size_mismatch', `The stack declares ${nz} slices but more were given.`);
      }
      done = true;
    },
    close,
  };
}
