// A simulated user who paints annotations from the truth, as a microscopist would:
// first short strokes well inside pores and inside solid, then, in later rounds,
// strokes over the largest wrong regions of the previous result, on a few slices,
// within a pixel budget. Values: 0 = not painted, 1 = pore, 2 = solid.

export interface AnnotatorOptions {
  ny: number;
  nx: number;
  /** Slices the user paints on. */
  slices: number[];
  /** Most painted pixels over all rounds. */
  budget: number;
  seed?: number;
}

/** Squared distance (px) of every pixel to the nearest pixel of the other class, capped: brute force in a window. */
function depthInside(truth: Uint8Array, ny: number, nx: number, cap: number): Uint8Array {
  const out = new Uint8Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const v = truth[y * nx + x];
      let best = cap;
      for (let dy = -cap + 1; dy < cap; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= ny) continue;
        for (let dx = -cap + 1; dx < cap; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= nx || truth[yy * nx + xx] === v) continue;
          const d = Math.sqrt(dx * dx + dy * dy);
          if (d < best) best = d;
        }
      }
      out[y * nx + x] = Math.floor(best);
    }
  }
  return out;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export class SimulatedAnnotator {
  readonly planes = new Map<number, Uint8Array>();
  painted = 0;
  private readonly rand: () => number;
  private readonly depth = new Map<number, Uint8Array>();

  constructor(
    private readonly opts: AnnotatorOptions,
    private readonly truth: (z: number) => Uint8Array,
  ) {
    this.rand = lcg(opts.seed ?? 7);
    for (const z of opts.slices) {
      this.planes.set(z, new Uint8Array(opts.ny * opts.nx));
      this.depth.set(z, depthInside(truth(z), opts.ny, opts.nx, 6));
    }
  }

  private paint(z: number, p: number): boolean {
    const plane = this.planes.get(z)!;
    if (plane[p] !== 0 || this.painted >= this.opts.budget) return false;
    plane[p] = this.truth(z)[p] ? 2 : 1;
    this.painted++;
    return true;
  }

  /** A stroke of up to `length` px from p along a random direction, staying `minDepth` px inside its class. */
  private stroke(z: number, p: number, length: number, minDepth: number): void {
    const { nx, ny } = this.opts;
    const t = this.truth(z);
    const depth = this.depth.get(z)!;
    const a = this.rand() * Math.PI * 2;
    let x = p % nx;
    let y = Math.floor(p / nx);
    for (let s = 0; s < length; s++) {
      const q = Math.round(y) * nx + Math.round(x);
      if (x < 0 || y < 0 || x >= nx || y >= ny || t[q] !== t[p] || depth[q] < minDepth) break;
      this.paint(z, q);
      x += Math.cos(a);
      y += Math.sin(a);
    }
  }

  /** Round 0: strokes deep inside each class on every slice, `perClass` strokes of `length` px. */
  interiorStrokes(perClass: number, length: number): void {
    const { nx, ny } = this.opts;
    for (const z of this.opts.slices) {
      const t = this.truth(z);
      const depth = this.depth.get(z)!;
      for (const cls of [0, 1]) {
        const deep: number[] = [];
        for (let p = 0; p < nx * ny; p++) if (t[p] === cls && depth[p] >= 3) deep.push(p);
        if (deep.length === 0) for (let p = 0; p < nx * ny; p++) if (t[p] === cls && depth[p] >= 1) deep.push(p);
        for (let k = 0; k < perClass && deep.length; k++) this.stroke(z, deep[Math.floor(this.rand() * deep.length)], length, 1);
      }
    }
  }

  /**
   * A correction round: on the painted slices, the wrong pixels of `predicted(z)` grouped into
   * connected regions; a stroke starts in each of the `regions` largest (largest first).
   */
  correct(predicted: (z: number) => Uint8Array, regions: number, length: number): number {
    const { nx, ny } = this.opts;
    const found: { z: number; size: number; seed: number }[] = [];
    for (const z of this.opts.slices) {
      const t = this.truth(z);
      const pr = predicted(z);
      const seen = new Uint8Array(nx * ny);
      const stack: number[] = [];
      for (let p = 0; p < nx * ny; p++) {
        if (seen[p] || pr[p] === t[p]) continue;
        let size = 0;
        let deepest = p;
        const depth = this.depth.get(z)!;
        stack.push(p);
        seen[p] = 1;
        while (stack.length) {
          const q = stack.pop()!;
          size++;
          if (depth[q] > depth[deepest]) deepest = q;
          const qx = q % nx;
          for (const r of [q - nx, q + nx, qx > 0 ? q - 1 : -1, qx < nx - 1 ? q + 1 : -1]) {
            if (r < 0 || r >= nx * ny || seen[r] || pr[r] === t[r]) continue;
            seen[r] = 1;
            stack.push(r);
          }
        }
        found.push({ z, size, seed: deepest });
      }
    }
    found.sort((a, b) => b.size - a.size);
    const before = this.painted;
    for (const r of found.slice(0, regions)) this.stroke(r.z, r.seed, length, 0);
    return this.painted - before;
  }

  /** The painted pixels as the classifier takes them. */
  samples(): { z: number[]; pixel: number[]; value: number[] } {
    const z: number[] = [];
    const pixel: number[] = [];
    const value: number[] = [];
    for (const [k, plane] of [...this.planes].sort((a, b) => a[0] - b[0])) {
      for (let p = 0; p < plane.length; p++) {
        if (plane[p] === 0) continue;
        z.push(k);
        pixel.push(p);
        value.push(plane[p]);
      }
    }
    return { z, pixel, value };
  }
}
