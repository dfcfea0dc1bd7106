// The synthetic stack of the pixel-classifier benchmark, with its truth and a
// simulated user's strokes. Not a FIB-SEM simulator (src-main/synth and
// training/indep_sim are): just enough of what makes the task hard.
// - Structure: a smooth random field (two octaves of value noise on a lattice,
//   smoothstep-interpolated, finer along z than in-plane as the voxels are
//   5 x 5 x 10 nm) cut at a level, so about 45 % of the voxels are solid.
// - Shine-through: a pore pixel shows the solid lying behind the cut face
//   (slices z + 1 .. z + 6) with weights falling with depth, so some pores look
//   almost as bright as solid; then an in-plane Gaussian blur (sigma 1.2 px,
//   the beam) and Gaussian noise (sd 14 grey levels); uint8.
// - The user paints short 3 px wide strokes well inside pores and inside solid
//   (at least 2-3 px from any boundary) on three slices, until ~1 % of each
//   slice's pixels are painted, half of them pore and half solid.

export interface SyntheticStack {
  shape: [number, number, number];
  /** nz slices of ny * nx grey values. */
  grey: Uint8Array[];
  /** 1 = solid, 0 = pore, as the grey. */
  truth: Uint8Array[];
}

export interface PaintedStrokes {
  z: number[];
  pixel: number[];
  /** 1 = pore, 2 = solid (annotation values). */
  value: number[];
}

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Octave {
  /** Lattice spacing in px in-plane and in slices along z. */
  cell: number;
  cellZ: number;
  amp: number;
  lx: number;
  ly: number;
  values: Float32Array;
}

function octave(rand: () => number, nz: number, ny: number, nx: number, cell: number, cellZ: number, amp: number): Octave {
  const lx = Math.ceil(nx / cell) + 2;
  const ly = Math.ceil(ny / cell) + 2;
  const lz = Math.ceil(nz / cellZ) + 2;
  const values = new Float32Array(lx * ly * lz);
  for (let i = 0; i < values.length; i++) values[i] = 2 * rand() - 1;
  return { cell, cellZ, amp, lx, ly, values };
}

const smooth = (t: number): number => t * t * (3 - 2 * t);

/** Lattice index and smoothstep weight of every coordinate 0..n-1 for a cell size. */
function axisWeights(n: number, cell: number): { i0: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(n);
  const w = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    const u = x / cell;
    i0[x] = Math.floor(u);
    w[x] = smooth(u - i0[x]);
  }
  return { i0, w };
}

/** Adds slice z of one octave to field. */
function addOctave(o: Octave, z: number, ny: number, nx: number, field: Float32Array): void {
  const ax = axisWeights(nx, o.cell);
  const ay = axisWeights(ny, o.cell);
  const uz = z / o.cellZ;
  const iz = Math.floor(uz);
  const wz = smooth(uz - iz);
  const plane = o.lx * o.ly;
  const p0 = iz * plane;
  const p1 = p0 + plane;
  const v = o.values;
  for (let y = 0; y < ny; y++) {
    const r0 = ay.i0[y] * o.lx;
    const r1 = r0 + o.lx;
    const wy = ay.w[y];
    for (let x = 0; x < nx; x++) {
      const c0 = ax.i0[x];
      const wx = ax.w[x];
      const a = v[p0 + r0 + c0] + wx * (v[p0 + r0 + c0 + 1] - v[p0 + r0 + c0]);
      const b = v[p0 + r1 + c0] + wx * (v[p0 + r1 + c0 + 1] - v[p0 + r1 + c0]);
      const c = v[p1 + r0 + c0] + wx * (v[p1 + r0 + c0 + 1] - v[p1 + r0 + c0]);
      const d = v[p1 + r1 + c0] + wx * (v[p1 + r1 + c0 + 1] - v[p1 + r1 + c0]);
      const front = a + wy * (b - a);
      const back = c + wy * (d - c);
      field[y * nx + x] += o.amp * (front + wz * (back - front));
    }
  }
}

/** In-place separable Gaussian blur of one ny x nx float image (edges clamped). */
function blur(img: Float32Array, ny: number, nx: number, sigma: number): void {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const w = Float32Array.from(k, (v) => v / sum);
  const pass = (n: number, lines: number, at: (line: number, i: number) => number) => {
    const pad = new Float32Array(n + 2 * r);
    const line = new Float32Array(n);
    for (let l = 0; l < lines; l++) {
      for (let i = 0; i < n + 2 * r; i++) pad[i] = img[at(l, Math.min(n - 1, Math.max(0, i - r)))];
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j <= 2 * r; j++) s += w[j] * pad[i + j];
        line[i] = s;
      }
      for (let i = 0; i < n; i++) img[at(l, i)] = line[i];
    }
  };
  pass(nx, ny, (y, x) => y * nx + x);
  pass(ny, nx, (x, y) => y * nx + x);
}

const SHINE_DEPTH = 6;
const SHINE = Array.from({ length: SHINE_DEPTH }, (_, k) => 0.6 * Math.exp(-k / 2));

export function makeSyntheticStack(nz: number, ny: number, nx: number, seed = 2024): SyntheticStack {
  const rand = lcg(seed);
  const depth = nz + SHINE_DEPTH;
  const octaves = [octave(rand, depth, ny, nx, 24, 12, 1), octave(rand, depth, ny, nx, 10, 5, 0.45)];
  const level = 0.08;
  const solid: Uint8Array[] = [];
  const field = new Float32Array(ny * nx);
  for (let z = 0; z < depth; z++) {
    field.fill(0);
    for (const o of octaves) addOctave(o, z, ny, nx, field);
    const s = new Uint8Array(ny * nx);
    for (let i = 0; i < s.length; i++) s[i] = field[i] > level ? 1 : 0;
    solid.push(s);
  }
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const grey: Uint8Array[] = [];
  const img = new Float32Array(ny * nx);
  for (let z = 0; z < nz; z++) {
    const s = solid[z];
    for (let i = 0; i < img.length; i++) {
      if (s[i]) img[i] = 160;
      else {
        let shine = 0;
        for (let k = 0; k < SHINE_DEPTH; k++) shine += SHINE[k] * solid[z + 1 + k][i];
        img[i] = 30 + 110 * Math.min(1, shine);
      }
    }
    blur(img, ny, nx, 1.2);
    const g = new Uint8Array(ny * nx);
    for (let i = 0; i < g.length; i++) g[i] = Math.max(0, Math.min(255, Math.round(img[i] + 14 * gauss())));
    grey.push(g);
  }
  return { shape: [nz, ny, nx], grey, truth: solid.slice(0, nz) };
}

/** True when every pixel within `radius` (a square) of (y, x) is inside the slice and of class c. */
function inside(t: Uint8Array, ny: number, nx: number, y: number, x: number, radius: number, c: number): boolean {
  if (y < radius || x < radius || y >= ny - radius || x >= nx - radius) return false;
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) if (t[(y + dy) * nx + x + dx] !== c) return false;
  return true;
}

/** A simulated user's strokes on the given slices, ~fraction of each slice's pixels, half pore half solid. */
export function paintStrokes(stack: SyntheticStack, slices: number[], fraction: number, seed = 7): PaintedStrokes {
  const [, ny, nx] = stack.shape;
  const rand = lcg(seed);
  const out: PaintedStrokes = { z: [], pixel: [], value: [] };
  const perClass = Math.round((fraction * ny * nx) / 2);
  for (const z of slices) {
    const t = stack.truth[z];
    const done = new Uint8Array(ny * nx);
    for (const c of [0, 1]) {
      let count = 0;
      for (let tries = 0; count < perClass && tries < 200000; tries++) {
        let y = Math.floor(rand() * ny);
        let x = Math.floor(rand() * nx);
        if (!inside(t, ny, nx, y, x, 3, c)) continue;
        const a = 2 * Math.PI * rand();
        for (let step = 0; step < 16 && count < perClass; step++) {
          const yy = Math.round(y);
          const xx = Math.round(x);
          if (!inside(t, ny, nx, yy, xx, 2, c)) break;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const p = (yy + dy) * nx + xx + dx;
              if (done[p] || count >= perClass) continue;
              done[p] = 1;
              out.z.push(z);
              out.pixel.push(p);
              out.value.push(c === 1 ? 2 : 1);
              count++;
            }
          }
          y += Math.sin(a);
          x += Math.cos(a);
        }
      }
    }
  }
  return out;
}
