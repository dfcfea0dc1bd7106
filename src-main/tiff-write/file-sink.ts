// Streams to disk with positional FileHandle writes into `<path>.<pid>.partial`,
// renamed to `<path>` on commit and removed on discard, so a cancelled or
// failed export never leaves a truncated file under the final name.

import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { ByteSink } from './sink';

export const PARTIAL_SUFFIX = '.partial';

/**
 * Where a writer of `path` writes until it commits: `<path>.<pid>.partial`. Each process has its
 * own, so the cleanup after a dead process's export (export-journal.ts) removes that process's
 * partial only, never the one a live export of the same target is writing at that moment.
 */
export function partialPathOf(path: string, pid = process.pid): string {
  return `${path}.${pid}${PARTIAL_SUFFIX}`;
}

export class FileSink implements ByteSink {
  readonly partialPath: string;
  private handle: FileHandle | undefined;
  private opening: Promise<FileHandle> | undefined;

  constructor(readonly path: string) {
    this.partialPath = partialPathOf(path);
  }

  private file(): Promise<FileHandle> {
    this.opening ??= open(this.partialPath, 'w').then((h) => (this.handle = h));
    return this.opening;
  }

  async write(position: number, data: Uint8Array): Promise<void> {
    const fh = await this.file();
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
      if (bytesWritten <= 0) throw new Error(`could not write to ${this.partialPath}`);
      done += bytesWritten;
    }
  }

  async commit(): Promise<void> {
    const fh = await this.file();
    await fh.sync();
    await fh.close();
    this.handle = undefined;
    await rename(this.partialPath, this.path);
  }

  async discard(): Promise<void> {
    const fh = this.handle ?? (await this.opening?.catch(() => undefined));
    this.handle = undefined;
    this.opening = Promise.reject(new Error('output was discarded'));
    this.opening.catch(() => undefined);
    if (fh) await fh.close().catch(() => undefined);
    await rm(this.partialPath, { force: true });
  }
}
