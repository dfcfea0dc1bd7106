// Growing one classification tree on binned features: Gini impurity,
// weighted samples (bootstrap multiplicity x class weight), mtry features
// drawn per node without replacement. As in scikit-learn, features that are
// constant in a node do not count toward mtry, splits with zero gain are
// taken (XOR-like problems need them), and a leaf holds the weighted class
// fractions of its samples.
//
// Speed: the tree's samples are copied once as rows of bin codes and every
// split moves the rows to their side (a stable partition), so a node's
// samples are always one contiguous run of memory; the histograms of all the
// node's candidate features are filled in one sequential pass over it.
import type { TreeRng } from './forest-rng';

export interface GrowContext {
  n: number;
  nFeatures: number;
  nClasses: number;
  /** Row-major bin codes, codes[i * rowBytes + f]; rowBytes a multiple of 4. */
  codes: Uint8Array;
  rowBytes: number;
  edges: Float32Array[];
  labels: Uint8Array;
  classWeight: Float64Array;
  maxDepth: number;
  minSamplesLeaf: number;
  mtry: number;
  bootstrap: boolean;
}

/** One tree; node numbering local to the tree, leaf offsets local to its leafValues. */
export interface GrownTree {
  feature: Int32Array;
  threshold: Float32Array;
  child: Int32Array;
  leafValues: Float32Array;
}

/** Work buffers reused from tree to tree (sized for all n samples). */
export interface GrowScratch {
  rows: Uint32Array;
  spareRows: Uint32Array;
  y: Uint8Array;
  spareY: Uint8Array;
  w: Float64Array;
  spareW: Float64Array;
  draws: Int32Array;
}

export function growScratch(ctx: GrowContext): GrowScratch {
  const words = (ctx.n * ctx.rowBytes) / 4;
  return {
    rows: new Uint32Array(words),
    spareRows: new Uint32Array(words),
    y: new Uint8Array(ctx.n),
    spareY: new Uint8Array(ctx.n),
    w: new Float64Array(ctx.n),
    spareW: new Float64Array(ctx.n),
    draws: new Int32Array(ctx.n),
  };
}

/** Nodes with at least this many samples fill histograms by unrolled passes and find the non-empty bins by a scan. */
const LARGE_NODE = 128;

// Histograms of the node's rows start..end-1 for features f0.. into slots j.. (see growTree for the layout).
function fillHistograms4(rows: Uint8Array, S: number, y: Uint8Array, w: Float64Array, hist: Float64Array, hsShift: number, start: number, end: number, f0: number, f1: number, f2: number, f3: number, j: number): void {
  const c = (1 << hsShift) - 1;
  const o0 = j << 8;
  const o1 = (j + 1) << 8;
  const o2 = (j + 2) << 8;
  const o3 = (j + 3) << 8;
  for (let i = start; i < end; i++) {
    const row = i * S;
    const yi = y[i];
    const wi = w[i];
    let q = (o0 | rows[row + f0]) << hsShift;
    hist[q + yi] += wi;
    hist[q + c] += 1;
    q = (o1 | rows[row + f1]) << hsShift;
    hist[q + yi] += wi;
    hist[q + c] += 1;
    q = (o2 | rows[row + f2]) << hsShift;
    hist[q + yi] += wi;
    hist[q + c] += 1;
    q = (o3 | rows[row + f3]) << hsShift;
    hist[q + yi] += wi;
    hist[q + c] += 1;
  }
}

function fillHistograms2(rows: Uint8Array, S: number, y: Uint8Array, w: Float64Array, hist: Float64Array, hsShift: number, start: number, end: number, f0: number, f1: number, j: number): void {
  const c = (1 << hsShift) - 1;
  const o0 = j << 8;
  const o1 = (j + 1) << 8;
  for (let i = start; i < end; i++) {
    const row = i * S;
    const yi = y[i];
    const wi = w[i];
    let q = (o0 | rows[row + f0]) << hsShift;
    hist[q + yi] += wi;
    hist[q + c] += 1;
    q = (o1 | rows[row + f1]) << hsShift;
    hist[q + yi] += wi;
    hist[q + c] += 1;
  }
}

function fillHistograms1(rows: Uint8Array, S: number, y: Uint8Array, w: Float64Array, hist: Float64Array, hsShift: number, start: number, end: number, f0: number, j: number): void {
  const c = (1 << hsShift) - 1;
  const o0 = j << 8;
  for (let i = start; i < end; i++) {
    const q = (o0 | rows[i * S + f0]) << hsShift;
    hist[q + y[i]] += w[i];
    hist[q + c] += 1;
  }
}

/** Sorts the first n entries of a from offset o (small n: insertion sort, no allocation). */
function sortSmall(a: Uint8Array, o: number, n: number): void {
  for (let i = o + 1; i < o + n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= o && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

export function growTree(ctx: GrowContext, rng: TreeRng, scratch: GrowScratch = growScratch(ctx)): GrownTree {
  const { n, nFeatures, nClasses: K, edges, labels, classWeight, maxDepth, minSamplesLeaf, mtry, rowBytes: S } = ctx;
  const W = S >> 2; // 32-bit words per row
  const codeWords = new Uint32Array(ctx.codes.buffer, ctx.codes.byteOffset, (n * S) >> 2);
  const { rows: rows32, spareRows, y, spareY, w, spareW, draws } = scratch;
  const rows = new Uint8Array(rows32.buffer, rows32.byteOffset, rows32.byteLength);

  // Bootstrap: n draws with replacement, kept as multiplicities (weights) of the unique samples drawn.
  draws.fill(ctx.bootstrap ? 0 : 1);
  if (ctx.bootstrap) for (let k = 0; k < n; k++) draws[rng.int(n)]++;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (draws[i] === 0 || classWeight[labels[i]] === 0) continue;
    for (let q = 0; q < W; q++) rows32[used * W + q] = codeWords[i * W + q];
    y[used] = labels[i];
    w[used] = draws[i] * classWeight[labels[i]];
    used++;
  }

  const feature: number[] = [-1];
  const threshold: number[] = [0];
  const child: number[] = [0];
  const leafValues: number[] = [];

  const perm = new Int32Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) perm[f] = f;
  // Per candidate slot j and bin b, a record of HS floats at ((j << 8) | b) << hsShift: the weight of
  // every class, then the sample count in the last float. touched: the non-empty bins of slot j in order.
  const hsShift = Math.ceil(Math.log2(K + 1));
  const HS = 1 << hsShift;
  const hist = new Float64Array((mtry * 256) << hsShift);
  const touched = new Uint8Array(mtry * 256);
  const nTouched = new Int32Array(mtry);
  const batch = new Int32Array(mtry);
  const total = new Float64Array(K);
  const left = new Float64Array(K);
  const bestLeft = new Float64Array(K);

  const addLeaf = (node: number, totals: ArrayLike<number>, offset: number): void => {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += totals[offset + k];
    feature[node] = -1;
    child[node] = leafValues.length;
    for (let k = 0; k < K; k++) leafValues.push(sum > 0 ? totals[offset + k] / sum : 1 / K);
  };
  const splittable = (count: number, totals: ArrayLike<number>, offset: number, depth: number): boolean => {
    let present = 0;
    for (let k = 0; k < K; k++) if (totals[offset + k] > 0) present++;
    return depth < maxDepth && count >= 2 * minSamplesLeaf && count >= 2 && present > 1;
  };

  // Pending nodes: id, first and end row, depth; and their class weights (K each), known from the parent's split.
  const stack: number[] = [0, 0, used, 0];
  const stackTotals: number[] = [];
  for (let k = 0; k < K; k++) stackTotals.push(0);
  for (let i = 0; i < used; i++) stackTotals[y[i]] += w[i];
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const node = stack.pop() as number;
    const count = end - start;
    let wTotal = 0;
    for (let k = K - 1; k >= 0; k--) {
      total[k] = stackTotals.pop() as number;
      wTotal += total[k];
    }
    if (!splittable(count, total, 0, depth)) {
      addLeaf(node, total, 0);
      continue;
    }

    let bestF = -1;
    let bestBin = -1;
    let bestNLeft = 0;
    {
      let bestScore = -Infinity;
      let evaluated = 0;
      let drawn = 0;
      // Features are drawn in batches of the number still needed; a constant one does not count toward mtry.
      while (evaluated < mtry && drawn < nFeatures) {
        const m = Math.min(mtry - evaluated, nFeatures - drawn);
        for (let j = 0; j < m; j++, drawn++) {
          const r = drawn + rng.int(nFeatures - drawn);
          const f = perm[r];
          perm[r] = perm[drawn];
          perm[drawn] = f;
          batch[j] = f;
        }
        if (count >= LARGE_NODE) {
          // Unrolled passes of 4, 2 and 1 features (a loop over the features costs ~5x more per sample in V8).
          let j = 0;
          for (; j + 4 <= m; j += 4) fillHistograms4(rows, S, y, w, hist, hsShift, start, end, batch[j], batch[j + 1], batch[j + 2], batch[j + 3], j);
          if (j + 2 <= m) {
            fillHistograms2(rows, S, y, w, hist, hsShift, start, end, batch[j], batch[j + 1], j);
            j += 2;
          }
          if (j < m) fillHistograms1(rows, S, y, w, hist, hsShift, start, end, batch[j], j);
          for (let jj = 0; jj < m; jj++) {
            let t = jj << 8;
            for (let b = 0; b < 256; b++) if (hist[(((jj << 8) | b) << hsShift) + HS - 1] > 0) touched[t++] = b;
            nTouched[jj] = t - (jj << 8);
          }
        } else {
          nTouched.fill(0, 0, m);
          for (let i = start; i < end; i++) {
            const row = i * S;
            const yi = y[i];
            const wi = w[i];
            for (let j = 0; j < m; j++) {
              const b = rows[row + batch[j]];
              const q = ((j << 8) | b) << hsShift;
              if (hist[q + HS - 1]++ === 0) touched[(j << 8) + nTouched[j]++] = b;
              hist[q + yi] += wi;
            }
          }
          for (let j = 0; j < m; j++) sortSmall(touched, j << 8, nTouched[j]);
        }
        for (let j = 0; j < m; j++) {
          const o = j << 8;
          const nt = nTouched[j];
          if (nt > 1) {
            evaluated++;
            left.fill(0);
            let nLeft = 0;
            let wLeft = 0;
            for (let t = o; t < o + nt - 1; t++) {
              const q = (o + touched[t]) << hsShift;
              nLeft += hist[q + HS - 1];
              for (let k = 0; k < K; k++) {
                const h = hist[q + k];
                left[k] += h;
                wLeft += h;
              }
              if (nLeft < minSamplesLeaf) continue;
              if (count - nLeft < minSamplesLeaf) break;
              const wRight = wTotal - wLeft;
              if (!(wLeft > 0 && wRight > 0)) continue;
              let sumL = 0;
              let sumR = 0;
              for (let k = 0; k < K; k++) {
                const l = left[k];
                const rr = total[k] - l;
                sumL += l * l;
                sumR += rr * rr;
              }
              const score = sumL / wLeft + sumR / wRight;
              if (score > bestScore) {
                bestScore = score;
                bestF = batch[j];
                // Any bin from this one to just below the next non-empty one parts the node alike: take the middle.
                bestBin = (touched[t] + touched[t + 1] - 1) >> 1;
                bestNLeft = nLeft;
                bestLeft.set(left);
              }
            }
          }
          for (let t = o; t < o + nt; t++) {
            const q = (o + touched[t]) << hsShift;
            for (let k = 0; k < HS; k++) hist[q + k] = 0;
          }
        }
      }
    }

    if (bestF < 0) {
      addLeaf(node, total, 0);
      continue;
    }
    const leftId = feature.length;
    feature[node] = bestF;
    threshold[node] = edges[bestF][bestBin];
    child[node] = leftId;
    feature.push(-1, -1);
    threshold.push(0, 0);
    child.push(0, 0);
    const bestRight = total.map((t, k) => t - bestLeft[k]);
    const leftSplits = splittable(bestNLeft, bestLeft, 0, depth + 1);
    const rightSplits = splittable(count - bestNLeft, bestRight, 0, depth + 1);
    // A child that cannot split becomes a leaf now, from the split's histogram; when neither can, the rows need not move.
    if (!leftSplits) addLeaf(leftId, bestLeft, 0);
    if (!rightSplits) addLeaf(leftId + 1, bestRight, 0);
    if (!leftSplits && !rightSplits) continue;

    // Stable partition: rows with bin <= bestBin stay in front (in order), the others go behind them.
    let nLeft = start;
    let nRight = 0;
    for (let i = start; i < end; i++) {
      if (rows[i * S + bestF] <= bestBin) {
        if (nLeft !== i) {
          for (let q = 0; q < W; q++) rows32[nLeft * W + q] = rows32[i * W + q];
          y[nLeft] = y[i];
          w[nLeft] = w[i];
        }
        nLeft++;
      } else {
        for (let q = 0; q < W; q++) spareRows[nRight * W + q] = rows32[i * W + q];
        spareY[nRight] = y[i];
        spareW[nRight] = w[i];
        nRight++;
      }
    }
    rows32.set(spareRows.subarray(0, nRight * W), nLeft * W);
    y.set(spareY.subarray(0, nRight), nLeft);
    w.set(spareW.subarray(0, nRight), nLeft);

    if (rightSplits) {
      stack.push(leftId + 1, nLeft, end, depth + 1);
      for (let k = 0; k < K; k++) stackTotals.push(bestRight[k]);
    }
    if (leftSplits) {
      stack.push(leftId, start, nLeft, depth + 1);
      for (let k = 0; k < K; k++) stackTotals.push(bestLeft[k]);
    }
  }

  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    child: Int32Array.from(child),
    leafValues: Float32Array.from(leafValues),
  };
}
