// Reusable byte buffers, so that reading page after page does not allocate
// fresh chunk buffers each time. Each buffer owns its ArrayBuffer from
// offset 0 (utif's PackBits needs that).

export class ScratchPool {
  private free: Uint8Array[] = [];

  /** A buffer of at least `size` bytes, not shared with anyone until given back. */
  take(size: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i].length >= size && (best < 0 || this.free[i].length < this.free[best].length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0];
    return new Uint8Array(Math.max(size, 1));
  }

  give(buf: Uint8Array): void {
    if (this.free.length < 4) this.free.push(buf);
  }
}
