// Test page for the 3D viewer (tests/viewer/viewer-browser.test.ts): builds
// volumes, drives a VolumeViewer and reads its frames back as pixels. Exposed
// as window.viewerHarness; not part of the app.
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { Shape3 } from '../viewer/downsample';
import { Viewer3D } from '../viewer/Viewer3D';
import type { VoxelSizeNm } from '../viewer/geometry';
import type { ViewerStateUpdate } from '../viewer/viewer-state';
import { type CameraPose, type StandardView, VolumeViewer, type VolumeViewerOptions } from '../viewer/volume-viewer';
import { cosineLabels, gradientGrey, sphereLabels } from './volumes';

export type HarnessVolume = { name: 'sphere'; n: number; radius?: number } | { name: 'gradient'; n: number } | { name: 'cosines'; shape: Shape3 };

/** What a frame shows: the background colour (a corner) and the pixels that differ from it. */
export interface FrameStats {
  width: number;
  height: number;
  background: [number, number, number];
  /** Pixels differing from the background by more than 8 in some channel. */
  count: number;
  /** Bounding box of those pixels (-1 when none). */
  bbox: { x0: number; y0: number; x1: number; y1: number };
  centre: [number, number, number];
  cornersAreBackground: boolean;
  /** Foreground pixels in the left and right halves of the frame. */
  left: number;
  right: number;
  /** Luminance of the foreground pixels: min, max, standard deviation. */
  lum: { min: number; max: number; sd: number };
}

let viewer: VolumeViewer | null = null;
let reactRoot: Root | null = null;

function container(): HTMLElement {
  const el = document.getElementById('view');
  if (!el) throw new Error('harness page has no #view');
  return el;
}

function makeVolume(v: HarnessVolume): { data: Uint8Array; shape: Shape3; kind: 'grey' | 'labels' } {
  if (v.name === 'sphere') return { data: sphereLabels(v.n, v.radius), shape: [v.n, v.n, v.n], kind: 'labels' };
  if (v.name === 'gradient') return { data: gradientGrey(v.n), shape: [v.n, v.n, v.n], kind: 'grey' };
  return { data: cosineLabels(v.shape), shape: v.shape, kind: 'labels' };
}

function current(): VolumeViewer {
  if (!viewer) throw new Error('no viewer: call create() first');
  return viewer;
}

async function decode(dataUrl: string): Promise<ImageData> {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('no 2D context');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, c.width, c.height);
}

function stats(img: ImageData): FrameStats {
  const { width: w, height: h, data } = img;
  const px = (x: number, y: number): [number, number, number] => {
    const i = (y * w + x) * 4;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const bg = px(0, 0);
  const differs = (x: number, y: number): boolean => {
    const p = px(x, y);
    return Math.abs(p[0] - bg[0]) > 8 || Math.abs(p[1] - bg[1]) > 8 || Math.abs(p[2] - bg[2]) > 8;
  };
  let count = 0;
  let left = 0;
  let right = 0;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  let sum = 0;
  let sum2 = 0;
  let min = 255;
  let max = 0;
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      if (!differs(x, y)) continue;
      count += 1;
      if (x < w / 2) left += 1;
      else right += 1;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
      const p = px(x, y);
      const l = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
      sum += l;
      sum2 += l * l;
      min = Math.min(min, l);
      max = Math.max(max, l);
    }
  }
  const mean = count ? sum / count : 0;
  return {
    width: w,
    height: h,
    background: bg,
    count,
    bbox: count ? { x0, y0, x1, y1 } : { x0: -1, y0: -1, x1: -1, y1: -1 },
    centre: px(Math.floor(w / 2), Math.floor(h / 2)),
    cornersAreBackground: !differs(0, 0) && !differs(w - 1, 0) && !differs(0, h - 1) && !differs(w - 1, h - 1),
    left,
    right,
    lum: { min, max, sd: count ? Math.sqrt(Math.max(0, sum2 / count - mean * mean)) : 0 },
  };
}

const harness = {
  create(opts: VolumeViewerOptions = {}): void {
    viewer?.dispose();
    viewer = new VolumeViewer(container(), { pixelRatio: 1, ...opts });
  },
  setVolume(v: HarnessVolume, voxelSizeNm: VoxelSizeNm): { level: VolumeViewer['level'] } {
    const vol = makeVolume(v);
    current().setVolume({ ...vol, voxelSizeNm });
    return { level: current().level };
  },
  setState(s: ViewerStateUpdate): void {
    current().setState(s);
  },
  resetCamera(direction: [number, number, number]): void {
    current().resetCamera(direction);
  },
  viewFrom(view: StandardView): void {
    current().viewFrom(view);
  },
  cameraPose(): CameraPose {
    return current().cameraPose;
  },
  setCameraPose(p: CameraPose): void {
    current().setCameraPose(p);
  },
  screenshot(): string {
    return current().screenshot();
  },
  async frame(): Promise<{ png: string; stats: FrameStats }> {
    const png = current().screenshot();
    return { png, stats: stats(await decode(png)) };
  },
  /** Pixels of the axes triad's colours in the current frame: x red, y green, z blue. */
  async axisColours(): Promise<{ red: number; green: number; blue: number }> {
    const { data } = await decode(current().screenshot());
    const n = { red: 0, green: 0, blue: 0 };
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r > 180 && g < 110 && b < 110) n.red++;
      else if (g > 180 && r < 110 && b < 110) n.green++;
      else if (b > 180 && r < 130 && g < 170 && b > r + 80) n.blue++;
    }
    return n;
  },
  dispose(): { memory: { geometries: number; textures: number }; canvasInPage: boolean; canvasesInContainer: number } {
    const v = current();
    const canvas = v.canvas;
    v.dispose();
    viewer = null;
    return { memory: v.memory(), canvasInPage: document.contains(canvas), canvasesInContainer: container().querySelectorAll('canvas').length };
  },
  memory(): { geometries: number; textures: number } {
    return current().memory();
  },
  framesRendered(): number {
    return current().framesRendered;
  },
  /** Mounts <Viewer3D> with a sphere in #react-view; the number of canvases there once the effects ran. */
  async mountReact(): Promise<{ canvases: number; level: VolumeViewer['level'] }> {
    let el = document.getElementById('react-view');
    if (!el) {
      el = document.createElement('div');
      el.id = 'react-view';
      el.style.width = '200px';
      el.style.height = '200px';
      document.body.appendChild(el);
    }
    const volume = { ...makeVolume({ name: 'sphere', n: 32 }), voxelSizeNm: { x: 4, y: 4, z: 8 } };
    let level: VolumeViewer['level'] = null;
    const root = createRoot(el);
    reactRoot = root;
    await new Promise<void>((resolve) => {
      flushSync(() => root.render(createElement(Viewer3D, { volume, state: { isoLevel: 0.5 }, onLevel: (l) => { level = l; resolve(); } })));
    });
    return { canvases: el.querySelectorAll('canvas').length, level };
  },
  unmountReact(): { canvases: number } {
    reactRoot?.unmount();
    reactRoot = null;
    return { canvases: document.querySelectorAll('#react-view canvas').length };
  },
  /** Creates a viewer while getContext('webgl2') returns null; the error's message, or null when none. */
  withoutWebGL2(): string | null {
    const original = HTMLCanvasElement.prototype.getContext;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (HTMLCanvasElement.prototype as any).getContext = function patched(this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      if (kind === 'webgl2') return null;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (original as any).call(this, kind, ...rest);
    };
    try {
      const v = new VolumeViewer(container());
      v.dispose();
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    } finally {
      HTMLCanvasElement.prototype.getContext = original;
    }
  },
  /** Time from setVolume of a generated labels volume to the first frame finished on the GPU. */
  timeFirstFrame(shape: Shape3): { generateMs: number; firstFrameMs: number; secondFrameMs: number; level: VolumeViewer['level']; maxTexture3D: number } {
    const v = current();
    const t0 = performance.now();
    const data = cosineLabels(shape);
    const t1 = performance.now();
    const gl = v.canvas.getContext('webgl2') as WebGL2RenderingContext;
    const pixel = new Uint8Array(4);
    v.setVolume({ data, shape, voxelSizeNm: { x: 5, y: 5, z: 10 }, kind: 'labels' }); // renders once
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel); // waits for that frame
    const t2 = performance.now();
    v.resetCamera([1, 0.6, 1.4]);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    const t3 = performance.now();
    return { generateMs: t1 - t0, firstFrameMs: t2 - t1, secondFrameMs: t3 - t2, level: v.level, maxTexture3D: v.maxTextureSize };
  },
};

export type ViewerHarness = typeof harness;

declare global {
  interface Window {
    viewerHarness: ViewerHarness;
  }
}

window.viewerHarness = harness;
document.body.dataset.ready = 'true';
