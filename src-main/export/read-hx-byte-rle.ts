// Streaming HxByteRLE decoder for the AmiraMesh reader: reads the compressed
// stream in blocks at file offsets and fills one slice at a time. Packets may
// straddle blocks and slices (other writers do not encode slice by slice).

import type { FileHandle } from 'node:fs/promises';
import { corrupt, readAt } from './read-raw-slices';

const BLOCK_BYTES = 1 << 20;

export class HxByteRLESliceDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private repeatLeft = 0;
  private repeatValue = 0;
  private literalLeft = 0;

  /** The compressed stream is bytes [start, end) of the file. */
  constructor(private readonly fh: FileHandle, private readonly path: string, private fileAt: number, private readonly end: number) {}

  private async ensureByte(): Promise<void> {
    if (this.pos < this.buf.length) return;
    if (this.fileAt >= this.end) throw corrupt(this.path, 'the HxByteRLE data ends before the last voxel');
    this.buf = await readAt(this.fh, this.fileAt, Math.min(BLOCK_BYTES, this.end - this.fileAt));
    if (this.buf.length === 0) throw corrupt(this.path, 'the HxByteRLE data is cut off');
    this.fileAt += this.buf.length;
    this.pos = 0;
  }

  /** Fills `out` with the next out.length decoded bytes. */
  async next(out: Uint8Array): Promise<void> {
    let o = 0;
    while (o < out.length) {
      if (this.repeatLeft > 0) {
        const n = Math.min(this.repeatLeft, out.length - o);
        out.fill(this.repeatValue, o, o + n);
        o += n;
        this.repeatLeft -= n;
        continue;
      }
      await this.ensureByte();
      if (this.literalLeft > 0) {
        const n = Math.min(this.literalLeft, out.length - o, this.buf.length - this.pos);
        out.set(this.buf.subarray(this.pos, this.pos + n), o);
        this.pos += n;
        o += n;
        this.literalLeft -= n;
        continue;
      }
      const c = this.buf[this.pos++];
      if (c & 0x80) {
        this.literalLeft = c & 0x7f;
      } else {
        await this.ensureByte();
        this.repeatValue = this.buf[this.pos++];
        this.repeatLeft = c;
      }
    }
  }

  /** Bytes of the stream not consumed (0 for a well-formed field). */
  unread(): number {
    return this.buf.length - this.pos + (this.end - this.fileAt);
  }
}
