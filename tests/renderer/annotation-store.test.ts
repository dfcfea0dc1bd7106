// The Annotate mode's model against a fake backend that paints by brute force:
// a stroke is drawn in the renderer's copy at once and sent once, with all its
// points, when it ends; strokes go out strictly in order; a refused stroke and
// an undo bring back the stored slice; the classifier's preview waits for the
// strokes to pause, keeps one request in flight, and drops answers made for
// older annotations. Also the debounce runner on its own.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnnotationStroke, AnnotationSummary, FibreconApi, SegmentPreview } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { AnnotationStore, PREVIEW_DELAY_MS } from '../../src-renderer/state/annotation-store';
import { LatestRequest } from '../../src-renderer/state/latest-request';

const [NZ, NY, NX] = [4, 12, 16];

/** Brute force: pixels whose centre lies within r of the polyline. */
function brush(points: [number, number][], r: number): Set<number> {
  const out = new Set<number>();
  for (let y = 0; y < NY; y++) {
    for (let x = 0; x < NX; x++) {
      for (let s = 0; s < Math.max(1, points.length - 1); s++) {
        const a = points[s];
        const b = points[Math.min(s + 1, points.length - 1)];
        const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
        if ((a[0] + t * dx - x) ** 2 + (a[1] + t * dy - y) ** 2 <= r * r) out.add(y * NX + x);
      }
    }
  }
  return out;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A backend holding planes per slice, an edit history and a version; painting by brute force. */
function fakeBackend() {
  const planes = new Map<number, Uint8Array>();
  const history: { z: number; before: Uint8Array }[] = [];
  let version = 0;
  const calls: string[] = [];
  const paintGates: ReturnType<typeof deferred<void>>[] = [];
  const previews: { z: number; version: number; answer: ReturnType<typeof deferred<Result<SegmentPreview>>> }[] = [];
  let refuseNext = false;
  const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  const plane = (z: number) => planes.get(z) ?? new Uint8Array(NX * NY);
  const counts = (p: Uint8Array) => {
    const c: Record<string, number> = {};
    for (const v of p) if (v) c[String(v)] = (c[String(v)] ?? 0) + 1;
    return c;
  };
  const summary = (): AnnotationSummary => {
    const slices = [...planes.entries()].filter(([, p]) => p.some((v) => v)).sort((a, b) => a[0] - b[0]).map(([z, p]) => ({ z, counts: counts(p) }));
    const totals: Record<string, number> = {};
    for (const s of slices) for (const [k, n] of Object.entries(s.counts)) totals[k] = (totals[k] ?? 0) + n;
    return {
      volume: 'g',
      status: version === 0 ? 'none' : 'current',
      shape: [NZ, NY, NX],
      version,
      classes: [
        { value: 1, name: 'pore', color: '#3b82f6' },
        { value: 2, name: 'solid', color: '#f59e0b' },
      ],
      totals,
      slices,
      editCount: history.length,
      undoable: history.length,
      lastEdit: null,
    };
  };
  const api = {
    annotationSummary: () => (calls.push('summary'), ok(summary())),
    annotationSlice: ({ z }: { z: number }) => {
      calls.push(`slice ${z}`);
      const p = planes.get(z);
      return ok({ volume: 'g', z, width: NX, height: NY, labelsBase64: p ? Buffer.from(p).toString('base64') : null, counts: p ? counts(p) : {}, version });
    },
    paintAnnotation: async ({ z, stroke }: { z: number; stroke: AnnotationStroke }) => {
      calls.push(`paint ${z} ${JSON.stringify(stroke)}`);
      const gate = paintGates.shift();
      if (gate) await gate.promise;
      calls.push(`painted ${z}`);
      if (refuseNext) {
        refuseNext = false;
        return { ok: false, error: { tag: 'invalid_input', message: 'refused' } } as Result<never>;
      }
      if (stroke.kind !== 'brush' && stroke.kind !== 'eraser') throw new Error('only brushes here');
      const p = Uint8Array.from(plane(z));
      const before = Uint8Array.from(p);
      const px = brush(stroke.points as [number, number][], stroke.radiusPx);
      for (const i of px) p[i] = stroke.kind === 'eraser' ? 0 : stroke.label;
      planes.set(z, p);
      history.push({ z, before });
      version++;
      return { ok: true, value: { volume: 'g', z, version, changedPixels: px.size, box: null, counts: counts(p) } } as Result<never>;
    },
    undoAnnotation: () => {
      calls.push('undo');
      const last = history.pop()!;
      planes.set(last.z, last.before);
      version++;
      return ok({ volume: 'g', version, undone: {} as never });
    },
    previewSegmentation: ({ z }: { z: number }) => {
      calls.push(`preview ${z} v${version}`);
      const answer = deferred<Result<SegmentPreview>>();
      previews.push({ z, version, answer });
      return answer.promise;
    },
  } as unknown as FibreconApi;
  const previewAnswer = (z: number, v: number): Result<SegmentPreview> => ({
    ok: true,
    value: {
      volumes: ['g'],
      z,
      width: NX,
      height: NY,
      labelsBase64: Buffer.from(new Uint8Array(NX * NY).fill(1)).toString('base64'),
      uncertaintyBase64: Buffer.from(new Uint8Array(NX * NY)).toString('base64'),
      solidFraction: 1,
      method: 'pixel-classifier',
      convention: '',
      classifier: { estimate: null, annotationVersion: v, painted: 1 },
      slicesRead: [z, z],
      seconds: 0.1,
    },
  });
  return { api, calls, planes, paintGates, previews, previewAnswer, refuse: () => (refuseNext = true) };
}

/** Lets queued promise work run (timers are fake). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('AnnotationStore', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const started = async (b: ReturnType<typeof fakeBackend>, z = 2) => {
    const store = new AnnotationStore(b.api);
    store.start('g');
    await settle();
    store.showSlice(z);
    await settle();
    return store;
  };

  it('a stroke paints the local copy at once (as a brute-force brush) and is sent once, with all its points, when it ends', async () => {
    const b = fakeBackend();
    const store = await started(b);
    store.setRadius(1.4);
    expect(store.getState().radiusPx).toBe(1);
    expect(store.beginStroke(3, 3)).toBe(true);
    store.extendStroke(10, 3);
    store.extendStroke(10, 3);
    store.extendStroke(10, 8);
    const want = brush([[3, 3], [10, 3], [10, 8]], 1);
    const local = store.getState().plane!.labels;
    expect([...local.keys()].filter((i) => local[i] === 1).sort((a, c) => a - c)).toEqual([...want].sort((a, c) => a - c));
    expect(b.calls.filter((c) => c.startsWith('paint'))).toEqual([]);
    store.endStroke();
    await settle();
    expect(b.calls.filter((c) => c.startsWith('paint '))).toEqual([`paint 2 ${JSON.stringify({ kind: 'brush', points: [[3, 3], [10, 3], [10, 8]], radiusPx: 1, label: 1 })}`]);
    expect(store.getState().summary!.totals).toEqual({ '1': want.size });
    expect(store.getState().sending).toBe(0);
    // The stored slice is what the renderer drew.
    expect(Array.from(b.planes.get(2)!)).toEqual(Array.from(store.getState().plane!.labels));
  });

  it('strokes go out strictly in order: the second waits for the answer to the first', async () => {
    const b = fakeBackend();
    const store = await started(b);
    const gate = deferred<void>();
    b.paintGates.push(gate);
    store.beginStroke(1, 1);
    store.endStroke();
    store.setLabel(2);
    store.beginStroke(8, 8);
    store.endStroke();
    await settle();
    expect(b.calls.filter((c) => c.startsWith('paint'))).toHaveLength(1);
    expect(store.getState().sending).toBe(2);
    gate.resolve();
    await settle();
    const order = b.calls.filter((c) => c.startsWith('paint')).map((c) => c.split(' ').slice(0, 2).join(' '));
    expect(order).toEqual(['paint 2', 'painted 2', 'paint 2', 'painted 2']);
    expect(store.getState().summary!.totals).toEqual({ '1': brush([[1, 1]], 3).size, '2': brush([[8, 8]], 3).size });
  });

  it('a refused stroke and an undo bring back the stored slice', async () => {
    const b = fakeBackend();
    const store = await started(b);
    store.beginStroke(4, 4);
    store.endStroke();
    await settle();
    const stored = Array.from(store.getState().plane!.labels);
    b.refuse();
    store.beginStroke(12, 8);
    store.endStroke();
    expect(store.getState().plane!.labels[8 * NX + 12]).toBe(1);
    await settle();
    expect(store.getState().error?.message).toBe('refused');
    expect(Array.from(store.getState().plane!.labels)).toEqual(stored);
    store.undo();
    await settle();
    expect(store.getState().plane!.labels.every((v) => v === 0)).toBe(true);
    expect(store.getState().summary!.totals).toEqual({});
  });

  it('the live preview waits for the strokes to pause, keeps one request in flight and drops answers for older annotations', async () => {
    const b = fakeBackend();
    const store = await started(b);
    store.setLive(true);
    store.beginStroke(2, 2);
    store.endStroke();
    await settle();
    expect(store.getState().preview.message).toBe('Paint solid strokes too: the classifier learns from both classes.');
    store.setLabel(2);
    store.beginStroke(12, 9);
    store.endStroke();
    await settle();
    // Within the quiet time nothing is asked; a further stroke restarts it.
    await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS - 100);
    expect(b.previews).toHaveLength(0);
    store.beginStroke(13, 9);
    store.extendStroke(14, 9);
    store.endStroke();
    await settle();
    await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS - 100);
    expect(b.previews).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(b.previews.map((p) => p.version)).toEqual([3]);
    expect(store.getState().preview.phase).toBe('running');
    // A stroke while it runs: no second request until the first answers; that answer is then dropped (version 3 < 4).
    store.beginStroke(5, 9);
    store.endStroke();
    await settle();
    await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS);
    expect(b.previews).toHaveLength(1);
    b.previews[0].answer.resolve(b.previewAnswer(2, 3));
    await settle();
    expect(store.getState().preview.result).toBeNull();
    expect(b.previews.map((p) => p.version)).toEqual([3, 4]);
    b.previews[1].answer.resolve(b.previewAnswer(2, 4));
    await settle();
    const shown = store.getState().preview;
    expect(shown.result?.info.classifier?.annotationVersion).toBe(4);
    expect(shown.result?.z).toBe(2);
    expect(shown.phase).toBe('idle');
    expect(shown.requests).toBe(2);
    // Another slice: the old slice's preview no longer fits; a new one is asked for.
    store.showSlice(1);
    await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS);
    expect(b.previews.map((p) => p.z)).toEqual([2, 2, 1]);
  });

  it('stop forgets the volume; answers for it that arrive later change nothing', async () => {
    const b = fakeBackend();
    const store = await started(b);
    const gate = deferred<void>();
    b.paintGates.push(gate);
    store.beginStroke(3, 3);
    store.endStroke();
    store.stop();
    gate.resolve();
    await settle();
    expect(store.getState()).toMatchObject({ volume: null, summary: null, plane: null, sending: 0 });
    expect(store.beginStroke(3, 3)).toBe(false);
  });
});

describe('LatestRequest', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs the newest wish after the quiet time, one at a time, and drops answers that no longer fit', async () => {
    const runs: number[] = [];
    const answers: ReturnType<typeof deferred<number>>[] = [];
    const results: number[] = [];
    const phases: string[] = [];
    let wanted = 0;
    const r = new LatestRequest<number, number>({
      delayMs: 100,
      run: (k) => {
        runs.push(k);
        const d = deferred<number>();
        answers.push(d);
        return d.promise;
      },
      isCurrent: (k) => k === wanted,
      onResult: (_k, v) => results.push(v),
      onPhase: (p) => phases.push(p),
    });
    for (const k of [1, 2, 3]) r.request((wanted = k));
    await vi.advanceTimersByTimeAsync(99);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([3]);
    r.request((wanted = 4));
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([3]);
    answers[0].resolve(30);
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([]);
    expect(runs).toEqual([3, 4]);
    answers[1].resolve(40);
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([40]);
    expect(phases.at(-1)).toBe('idle');
    expect(r.started).toBe(2);
  });
});
