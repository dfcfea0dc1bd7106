// Where encoded bytes go. The encoder only ever calls write/commit/discard,
// so it can be tested in memory and streamed to disk by file-sink.ts.

export interface ByteSink {
  /** Writes bytes at an absolute position (writes may leave holes filled later, or revisit earlier bytes). */
  write(position: number, data: Uint8Array): Promise<void>;
  /** Finishes the output (flush, close, make it visible under its final name). */
  commit(): Promise<void>;
  /** Abandons the output and removes what was written. Safe to call after a failed write. */
  discard(): Promise<void>;
}

/** Collects the output in memory (tests, small previews). `bytes()` returns the committed content. */
export class MemorySink implements ByteSink {
  private buf = new Uint8Array(1024);
  private length = 0;
  committed = false;
  discarded = false;

  async write(position: number, data: Uint8Array): Promise<void> {
    const end = position + data.length;
    if (end > this.buf.length) {
      const grown = new Uint8Array(Math.max(end, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(data, position);
    this.length = Math.max(this.length, end);
  }

  async commit(): Promise<void> {
    this.committed = true;
  }

  async discard(): Promise<void> {
    this.discarded = true;
    this.buf = new Uint8Array(0);
    this.length = 0;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
