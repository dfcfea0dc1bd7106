// The Annotate mode's model (plain TypeScript, no DOM): which grey volume is
// annotated, the tool, class and brush radius, the counts (annotationSummary),
// the renderer's copy of the shown slice's annotation (painted at once with the
// shared paint helpers, then sent as one paintAnnotation per stroke, strictly
// in order), undo, and the pixel classifier's live preview of that slice
// (debounced, one request in flight, answers for older annotations dropped).
// The xy orthoview draws it and feeds it pointer positions in voxels; the
// Segmentation panel's controls edit it.
import { classCounts, floodFill, paintBrush, type ChangedBox } from '../../src-shared/annotation-paint';
import type { AnnotationCounts, AnnotationStroke, AnnotationSummary, FibreconApi, SegmentPreview } from '../../src-shared/contract';
import type { AppErrorValue, Result } from '../../src-shared/errors';
import { LatestRequest, type RequestPhase } from './latest-request';
import { decodeBase64 } from './project-store';

export type AnnotateTool = 'brush' | 'eraser' | 'fill';
export const RADIUS_MAX_PX = 64;
/** Quiet time after the last stroke before the classifier's preview is asked for. */
export const PREVIEW_DELAY_MS = 500;
/** The classes the pixel classifier learns: pore and solid. */
export const CLASSIFIER_CLASSES = [1, 2] as const;

/** The shown slice's annotation as the renderer holds it: painted in place during a stroke. */
export interface AnnotationPlane {
  volume: string;
  z: number;
  width: number;
  height: number;
  /** 0 = not annotated, else a class value; row-major. */
  labels: Uint8Array;
  /** Bumped by every change of `labels`. */
  revision: number;
  /** The pixels this revision changed; null: any of them (a slice read afresh). */
  changed: ChangedBox | null;
}

/** The classifier's preview of one slice, decoded. */
export interface ClassifierPreview {
  volume: string;
  z: number;
  width: number;
  height: number;
  /** 1 = solid, 0 = pore. */
  labels: Uint8Array;
  /** 0 = certain .. 255 = a coin flip; null when the backend sent none. */
  uncertainty: Uint8Array | null;
  info: Omit<SegmentPreview, 'labelsBase64' | 'uncertaintyBase64'>;
}

export interface LivePreviewState {
  /** On while the Segmentation step shows the pixel classifier. */
  live: boolean;
  phase: RequestPhase;
  /** The newest preview that fits the annotations as they are. */
  result: ClassifierPreview | null;
  /** Why there is no preview: a class not painted yet, or the backend's message. */
  message: string | null;
  /** Previews asked of the backend so far. */
  requests: number;
}

export interface AnnotationState {
  /** The grey volume being annotated; null: Annotate mode is off. */
  volume: string | null;
  /** false: clicks on the xy view move the cursor instead of painting. */
  painting: boolean;
  tool: AnnotateTool;
  /** The class value the brush and fill paint. */
  label: number;
  radiusPx: number;
  summary: AnnotationSummary | null;
  /** The xy slice the orthoview shows. */
  z: number | null;
  plane: AnnotationPlane | null;
  /** Strokes and undos sent and not answered yet. */
  sending: number;
  error: AppErrorValue | null;
  preview: LivePreviewState;
  showPrediction: boolean;
  showUncertainty: boolean;
}

type Stroke = { volume: string; z: number; stroke: AnnotationStroke; changed: number };
interface PreviewKey {
  volume: string;
  z: number;
  version: number;
}

const NO_PREVIEW: LivePreviewState = { live: false, phase: 'idle', result: null, message: null, requests: 0 };
const INITIAL: AnnotationState = {
  volume: null,
  painting: true,
  tool: 'brush',
  label: 1,
  radiusPx: 3,
  summary: null,
  z: null,
  plane: null,
  sending: 0,
  error: null,
  preview: NO_PREVIEW,
  showPrediction: true,
  showUncertainty: false,
};

export class AnnotationStore {
  private state: AnnotationState = INITIAL;
  private readonly listeners = new Set<() => void>();
  /** Changes with every start/stop: answers for an earlier volume are ignored. */
  private session = 0;
  private queue: Promise<void> = Promise.resolve();
  private stroke: Stroke | null = null;
  private reloadAfterStroke = false;
  private readonly previews: LatestRequest<PreviewKey, Result<SegmentPreview>>;

  constructor(private readonly api: FibreconApi) {
    this.previews = new LatestRequest<PreviewKey, Result<SegmentPreview>>({
      delayMs: PREVIEW_DELAY_MS,
      run: (k) => {
        this.setPreview({ requests: this.state.preview.requests + 1 });
        return this.api.previewSegmentation({ volume: k.volume, z: k.z, method: 'pixel-classifier' });
      },
      isCurrent: (k, res) => {
        const s = this.state;
        if (!s.preview.live || s.volume !== k.volume || s.z !== k.z) return false;
        return (res.ok ? res.value.classifier?.annotationVersion : k.version) === s.summary?.version;
      },
      onResult: (_k, res) => this.showPreview(res),
      onPhase: (phase) => this.setPreview({ phase }),
    });
  }

  getState = (): AnnotationState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Annotate mode on `volume` (a grey volume): reads its counts; the orthoview then tells which slice it shows. */
  start(volume: string): void {
    if (this.state.volume === volume) return;
    this.reset();
    const { tool, label, radiusPx, showPrediction, showUncertainty } = this.state;
    this.set({ ...INITIAL, tool, label, radiusPx, showPrediction, showUncertainty, preview: { ...NO_PREVIEW, live: this.state.preview.live }, volume });
    this.enqueue(async () => {
      await this.refreshSummary();
      this.schedulePreview();
    });
  }

  /** Annotate mode off (another step, another method, the project closed). */
  stop(): void {
    if (this.state.volume === null) return;
    this.reset();
    this.set({ volume: null, summary: null, z: null, plane: null, sending: 0, error: null, preview: { ...NO_PREVIEW, live: this.state.preview.live } });
  }

  /** The xy orthoview shows slice z: read its annotation (after the strokes already sent) and preview it. */
  showSlice(z: number): void {
    if (this.state.volume === null || this.state.z === z) return;
    this.set({ z });
    this.enqueue(() => this.loadPlane());
    this.schedulePreview();
  }

  setPainting(painting: boolean): void {
    this.set({ painting });
  }

  setTool(tool: AnnotateTool): void {
    this.set({ tool, painting: true });
  }

  setLabel(label: number): void {
    this.set({ label, painting: true, tool: this.state.tool === 'eraser' ? 'brush' : this.state.tool });
  }

  setRadius(radiusPx: number): void {
    this.set({ radiusPx: Math.min(RADIUS_MAX_PX, Math.max(0, Math.round(radiusPx))) });
  }

  setLayers(show: { prediction?: boolean; uncertainty?: boolean }): void {
    this.set({ showPrediction: show.prediction ?? this.state.showPrediction, showUncertainty: show.uncertainty ?? this.state.showUncertainty });
  }

  /** The live preview follows the strokes while `live` (the pixel classifier is the chosen method). */
  setLive(live: boolean): void {
    if (this.state.preview.live === live) return;
    this.setPreview({ live });
    if (live) this.schedulePreview();
    else this.previews.cancel();
  }

  dismissError(): void {
    this.set({ error: null });
  }

  /** Painting is possible: a volume whose annotations are not stale, painting on. */
  canPaint(): boolean {
    const s = this.state;
    return s.volume !== null && s.painting && s.summary !== null && (s.summary.status === 'none' || s.summary.status === 'current');
  }

  /** Pointer down at voxel (x, y) of the shown slice: paints at once; a fill is complete here. */
  beginStroke(x: number, y: number): boolean {
    const s = this.state;
    const plane = s.plane;
    if (!this.canPaint() || this.stroke !== null || plane === null || plane.z !== s.z || s.volume === null) return false;
    if (x < 0 || y < 0 || x >= plane.width || y >= plane.height) return false;
    if (s.tool === 'fill') {
      const r = floodFill(plane.labels, plane, x, y, s.label);
      this.stroke = { volume: s.volume, z: plane.z, stroke: { kind: 'fill', x, y, label: s.label }, changed: r.changed };
      this.touch(r.box);
      return true;
    }
    const stroke: AnnotationStroke = s.tool === 'eraser' ? { kind: 'eraser', points: [[x, y]], radiusPx: s.radiusPx } : { kind: 'brush', points: [[x, y]], radiusPx: s.radiusPx, label: s.label };
    const r = paintBrush(plane.labels, plane, [[x, y]], s.radiusPx, s.tool === 'eraser' ? 0 : s.label);
    this.stroke = { volume: s.volume, z: plane.z, stroke, changed: r.changed };
    this.touch(r.box);
    return true;
  }

  /** Pointer moved to voxel (x, y) during a brush or eraser stroke: paints the segment from the last point. */
  extendStroke(x: number, y: number): void {
    const st = this.stroke;
    const plane = this.state.plane;
    if (st === null || plane === null || plane.z !== st.z || (st.stroke.kind !== 'brush' && st.stroke.kind !== 'eraser')) return;
    const points = st.stroke.points;
    const last = points[points.length - 1];
    if (last[0] === x && last[1] === y) return;
    points.push([x, y]);
    const r = paintBrush(plane.labels, plane, [last, [x, y]], st.stroke.radiusPx, st.stroke.kind === 'eraser' ? 0 : st.stroke.label);
    st.changed += r.changed;
    this.touch(r.box);
  }

  /** Pointer up: the stroke goes to the backend as one edit (when it changed any pixel). */
  endStroke(): void {
    const st = this.stroke;
    this.stroke = null;
    if (st === null) return;
    if (st.changed > 0) this.sendStroke(st);
    if (this.reloadAfterStroke) {
      this.reloadAfterStroke = false;
      this.enqueue(() => this.loadPlane());
    }
  }

  /** Takes back the last edit (of any slice) and reads the shown slice again. */
  undo(): void {
    const s = this.state;
    if (s.volume === null || this.stroke !== null || !this.canPaint()) return;
    if (s.sending === 0 && (s.summary?.undoable ?? 0) === 0) return;
    const volume = s.volume;
    this.set({ sending: s.sending + 1 });
    this.enqueue(async (session) => {
      const res = await this.api.undoAnnotation({ volume });
      if (session !== this.session) return;
      this.set({ sending: this.state.sending - 1 });
      if (!res.ok) this.set({ error: res.error });
      await this.refreshSummary();
      await this.loadPlane();
      this.schedulePreview();
    });
  }

  private sendStroke(st: Stroke): void {
    this.set({ sending: this.state.sending + 1 });
    this.enqueue(async (session) => {
      const res = await this.api.paintAnnotation({ volume: st.volume, z: st.z, stroke: st.stroke });
      if (session !== this.session) return;
      this.set({ sending: this.state.sending - 1 });
      if (!res.ok) {
        // The stored slice is the truth: show it again without the refused stroke.
        this.set({ error: res.error });
        await this.loadPlane();
        return;
      }
      await this.refreshSummary();
      this.checkPlane(st.z, res.value.counts);
      if (res.value.changedPixels > 0) this.schedulePreview();
    });
  }

  /** When nothing more is on its way, the local copy must count what the backend stored; else read it again. */
  private checkPlane(z: number, stored: AnnotationCounts): void {
    const plane = this.state.plane;
    if (plane === null || plane.z !== z || this.state.sending > 0 || this.stroke !== null) return;
    const local = classCounts(plane.labels);
    const keys = new Set([...Object.keys(local), ...Object.keys(stored)]);
    for (const k of keys) {
      if ((local[k] ?? 0) !== (stored[k] ?? 0)) {
        this.enqueue(() => this.loadPlane());
        return;
      }
    }
  }

  private async refreshSummary(): Promise<void> {
    const volume = this.state.volume;
    if (volume === null) return;
    const session = this.session;
    const res = await this.api.annotationSummary({ volume });
    if (session !== this.session) return;
    if (!res.ok) {
      this.set({ error: res.error });
      return;
    }
    const summary = res.value;
    const label = summary.classes.some((c) => c.value === this.state.label) ? this.state.label : (summary.classes[0]?.value ?? 1);
    this.set({ summary, label });
  }

  private async loadPlane(): Promise<void> {
    const { volume, z } = this.state;
    if (volume === null || z === null) return;
    const session = this.session;
    const res = await this.api.annotationSlice({ volume, z });
    if (session !== this.session || this.state.z !== z) return;
    if (this.stroke !== null) {
      // Never overwrite a stroke being drawn; read again when it ends.
      this.reloadAfterStroke = true;
      return;
    }
    if (!res.ok) {
      this.set({ error: res.error });
      return;
    }
    const { width, height, labelsBase64 } = res.value;
    const labels = labelsBase64 === null ? new Uint8Array(width * height) : decodeBase64(labelsBase64);
    this.set({ plane: { volume, z, width, height, labels, revision: (this.state.plane?.revision ?? 0) + 1, changed: null } });
  }

  /** Asks for the classifier's preview of the shown slice once both classes are painted. */
  private schedulePreview(): void {
    const s = this.state;
    if (!s.preview.live || s.volume === null || s.z === null || s.summary === null) {
      this.previews.cancel();
      return;
    }
    const summary = s.summary;
    const missing = CLASSIFIER_CLASSES.filter((v) => !((summary.totals[String(v)] ?? 0) > 0));
    if (missing.length > 0) {
      this.previews.cancel();
      const names = missing.map((v) => summary.classes.find((c) => c.value === v)?.name ?? `class ${v}`);
      this.setPreview({ result: null, message: `Paint ${names.join(' and ')} strokes too: the classifier learns from both classes.` });
      return;
    }
    this.previews.request({ volume: s.volume, z: s.z, version: summary.version });
  }

  private showPreview(res: Result<SegmentPreview>): void {
    if (!res.ok) {
      this.setPreview({ result: null, message: res.error.message });
      return;
    }
    const { labelsBase64, uncertaintyBase64, ...info } = res.value;
    const result: ClassifierPreview = {
      volume: info.volumes[0],
      z: info.z,
      width: info.width,
      height: info.height,
      labels: decodeBase64(labelsBase64),
      uncertainty: uncertaintyBase64 ? decodeBase64(uncertaintyBase64) : null,
      info,
    };
    this.setPreview({ result, message: null });
  }

  /** Marks the plane changed (in place) in `box`. */
  private touch(box: ChangedBox | null): void {
    const plane = this.state.plane;
    if (box === null || plane === null) return;
    this.set({ plane: { ...plane, revision: plane.revision + 1, changed: box } });
  }

  /** Runs API work strictly in order (a stroke is stored before the next one, a slice read after them). */
  private enqueue(task: (session: number) => Promise<void>): void {
    const session = this.session;
    this.queue = this.queue
      .then(() => (session === this.session ? task(session) : undefined))
      .catch((e: unknown) => this.set({ error: { tag: 'internal', message: `Annotation request failed: ${e instanceof Error ? e.message : String(e)}` } }));
  }

  private reset(): void {
    this.session++;
    this.stroke = null;
    this.reloadAfterStroke = false;
    this.previews.cancel();
  }

  private setPreview(patch: Partial<LivePreviewState>): void {
    this.set({ preview: { ...this.state.preview, ...patch } });
  }

  private set(patch: Partial<AnnotationState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
