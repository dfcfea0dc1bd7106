// The 3D viewer in Debian's headless Chromium with WebGL2 on SwiftShader: the
// harness page (src-renderer/viewer-harness) is built with vite, served from
// out/viewer-harness, and its frames are read back as pixels. Screenshots go
// to out/screenshots/viewer-*.png. FIBRECON_SKIP_VIEWER_512=1 skips the
// 512^3 time-to-first-frame figure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameStats, HarnessVolume } from '../../src-renderer/viewer-harness/main';
import type { ViewerStateUpdate } from '../../src-renderer/viewer/viewer-state';
import { CHROMIUM, screenshotDir } from '../renderer/chromium';
import { buildHarness, harnessOut, serveFolder, type StaticServer } from './harness-server';

const ISO_VOXEL = { x: 5, y: 5, z: 5 };
const SPHERE: HarnessVolume = { name: 'sphere', n: 64, radius: 0.7 };

function savePng(name: string, dataUrl: string): void {
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(join(screenshotDir, name), Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
}

describe('3D viewer in Chromium (WebGL2 on SwiftShader)', () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await buildHarness();
    server = await serveFolder(harnessOut);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 600, height: 600 } });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const create = () => page.evaluate(() => window.viewerHarness.create());
  const setVolume = (v: HarnessVolume, voxel = ISO_VOXEL) => page.evaluate(([vol, vx]) => window.viewerHarness.setVolume(vol, vx), [v, voxel] as const);
  const setState = (s: ViewerStateUpdate) => page.evaluate((st) => window.viewerHarness.setState(st), s);
  const frame = async (png?: string): Promise<FrameStats> => {
    const f = await page.evaluate(() => window.viewerHarness.frame());
    if (png) savePng(png, f.png);
    return f.stats;
  };

  it('shows the labelled sphere as a shaded disc in the centre, background in the corners', async () => {
    await create();
    const { level } = await setVolume(SPHERE);
    expect(level).toEqual({ factors: [1, 1, 1], shape: [64, 64, 64] });
    const s = await frame('viewer-sphere-isosurface.png');
    expect(s.width).toBe(480);
    expect(s.cornersAreBackground).toBe(true);
    expect(s.centre).not.toEqual(s.background);
    // Disc: the bounding box is centred and square, and the disc fills about pi/4 of it.
    const w = s.bbox.x1 - s.bbox.x0 + 1;
    const h = s.bbox.y1 - s.bbox.y0 + 1;
    expect(Math.abs((s.bbox.x0 + s.bbox.x1) / 2 - s.width / 2)).toBeLessThan(4);
    expect(Math.abs((s.bbox.y0 + s.bbox.y1) / 2 - s.height / 2)).toBeLessThan(4);
    expect(w / h).toBeGreaterThan(0.95);
    expect(w / h).toBeLessThan(1.05);
    expect(s.count / (w * h)).toBeGreaterThan(0.7);
    expect(s.count / (w * h)).toBeLessThan(0.85);
    // Shaded, not flat: bright in the middle, darker towards the rim.
    expect(s.lum.max - s.lum.min).toBeGreaterThan(60);
    expect(s.lum.sd).toBeGreaterThan(8);
    expect(errors).toEqual([]);
  });

  it('clipping away x < 0.5 removes the left half', async () => {
    await setState({ clip: { x: [0.5, 1] } });
    const s = await frame('viewer-sphere-clipped-x.png');
    expect(s.right).toBeGreaterThan(1000);
    // Perspective lets a sliver of the cut face show left of the centre line at most.
    expect(s.left).toBeLessThan(0.02 * s.right);
    expect(s.cornersAreBackground).toBe(true);
    await setState({ clip: { x: [0, 1] } });
    const back = await frame();
    expect(Math.abs(back.left - back.right)).toBeLessThan(0.05 * back.right);
  });

  it('an oblique view of the clipped sphere shows the flat cut face', async () => {
    await setState({ clip: { x: [0, 0.5], z: [0, 0.75] } });
    await page.evaluate(() => window.viewerHarness.resetCamera([1, 0.8, 1.3]));
    const s = await frame('viewer-sphere-clipped-oblique.png');
    expect(s.count).toBeGreaterThan(1000);
    await setState({ clip: { x: [0, 1], z: [0, 1] } });
    await page.evaluate(() => window.viewerHarness.resetCamera([0, 0, 1]));
  });

  it('a z voxel size 4x larger makes the sphere 4x taller than wide on screen', async () => {
    const iso = await frame();
    await setVolume(SPHERE, { x: 5, y: 5, z: 20 });
    const tall = await frame('viewer-sphere-z4.png');
    const aspect = (s: FrameStats) => (s.bbox.y1 - s.bbox.y0 + 1) / (s.bbox.x1 - s.bbox.x0 + 1);
    expect(aspect(iso)).toBeCloseTo(1, 1);
    expect(aspect(tall) / aspect(iso)).toBeGreaterThan(3.8);
    expect(aspect(tall) / aspect(iso)).toBeLessThan(4.2);
    expect(tall.cornersAreBackground).toBe(true);
  });

  it('volume rendering of a grey gradient follows the window', async () => {
    await setVolume({ name: 'gradient', n: 48 });
    await setState({ mode: 'volume', window: { low: 0, high: 1 }, opacity: 0.08, colour: '#ffffff' });
    const full = await frame('viewer-gradient-volume.png');
    expect(full.count).toBeGreaterThan(1000);
    expect(full.cornersAreBackground).toBe(true);
    // The ramp runs along x: more signal on the right.
    expect(full.right).toBeGreaterThan(full.left);
    // Raising the window's low end hides the dim left part.
    await setState({ window: { low: 0.5, high: 1 } });
    const high = await frame('viewer-gradient-volume-window.png');
    expect(high.count).toBeLessThan(full.count);
    expect(high.left).toBeLessThan(0.5 * full.left);
    await setState({ mode: 'isosurface', isoLevel: 0.3, window: { low: 0, high: 1 }, opacity: 1, colour: '#d9b38c' });
    const surf = await frame('viewer-gradient-isosurface.png');
    expect(surf.count).toBeGreaterThan(1000);
    expect(surf.lum.sd).toBeGreaterThan(5);
  });

  it('renders on demand: idle frames stay put, an orbit drag renders and changes the view', async () => {
    await setVolume(SPHERE);
    await setState({ clip: { x: [0, 0.5] } });
    const before = await page.evaluate(() => window.viewerHarness.framesRendered());
    await page.waitForTimeout(400);
    await expect(page.evaluate(() => window.viewerHarness.framesRendered())).resolves.toBe(before);
    const still = await frame();
    const box = await page.locator('#view canvas').boundingBox();
    if (!box) throw new Error('no canvas on the page');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(100); // one animation frame
    const after = await page.evaluate(() => window.viewerHarness.framesRendered());
    expect(after).toBeGreaterThan(before);
    const turned = await frame('viewer-sphere-orbited.png');
    expect(turned.bbox).not.toEqual(still.bbox);
    await setState({ clip: { x: [0, 1] } });
  });

  it('downsamples a volume that exceeds the texture budget and reports the level', async () => {
    await page.evaluate(() => window.viewerHarness.create({ textureBudgetBytes: 40_000 }));
    const { level } = await setVolume(SPHERE);
    expect(level).toEqual({ factors: [2, 2, 2], shape: [32, 32, 32] });
    const s = await frame('viewer-sphere-level2.png');
    expect(s.cornersAreBackground).toBe(true);
    const w = s.bbox.x1 - s.bbox.x0 + 1;
    const h = s.bbox.y1 - s.bbox.y0 + 1;
    expect(w / h).toBeCloseTo(1, 1);
    expect(s.count / (w * h)).toBeGreaterThan(0.7);
  });

  const viewFrom = (v: 'xy' | 'xz' | 'yz') => page.evaluate((x) => window.viewerHarness.viewFrom(x), v);
  const cameraPose = () => page.evaluate(() => window.viewerHarness.cameraPose());
  const unit = (p: number[]) => p.map((c) => c / Math.hypot(...p));

  it('standard views: xy from above with x right and y down, xz from the front with z up, yz from the side; a z-stretched sphere is a disc from above', async () => {
    await create();
    await setVolume(SPHERE, { x: 5, y: 5, z: 20 });
    const aspect = (s: FrameStats) => (s.bbox.y1 - s.bbox.y0 + 1) / (s.bbox.x1 - s.bbox.x0 + 1);
    await viewFrom('xy');
    const pose = await cameraPose();
    unit(pose.position).forEach((c, i) => expect(c).toBeCloseTo([0, -1, 0][i], 5));
    expect(pose.up).toEqual([0, 0, 1]);
    const top = await frame('viewer-view-xy.png');
    expect(aspect(top)).toBeGreaterThan(0.9);
    expect(aspect(top)).toBeLessThan(1.1);
    await viewFrom('xz');
    expect(aspect(await frame('viewer-view-xz.png'))).toBeGreaterThan(3.5);
    await viewFrom('yz');
    expect(aspect(await frame('viewer-view-yz.png'))).toBeGreaterThan(3.5);
    // Orientation, by what clipping keeps: from above, low x on the left and low y at the top.
    await viewFrom('xy');
    await setState({ clip: { x: [0, 0.5] } });
    const lowX = await frame();
    expect(lowX.left).toBeGreaterThan(5 * lowX.right);
    await setState({ clip: { x: [0, 1], y: [0, 0.5] } });
    const lowY = await frame();
    expect((lowY.bbox.y0 + lowY.bbox.y1) / 2).toBeLessThan(lowY.height / 2 - 10);
    // From the front, the first slices (low z) at the bottom; from the side, low y on the left.
    await setState({ clip: { y: [0, 1], z: [0, 0.5] } });
    await viewFrom('xz');
    const lowZ = await frame();
    expect((lowZ.bbox.y0 + lowZ.bbox.y1) / 2).toBeGreaterThan(lowZ.height / 2 + 10);
    await setState({ clip: { z: [0, 1], y: [0, 0.5] } });
    await viewFrom('yz');
    const side = await frame();
    expect(side.left).toBeGreaterThan(5 * side.right);
    await setState({ clip: { y: [0, 1] } });
  });

  it('keeps the camera when a volume of the same box is shown again, frames a new box afresh, and a pose carries over to a new viewer', async () => {
    await create();
    await setVolume(SPHERE);
    await viewFrom('yz');
    const pose = await cameraPose();
    const sideView = await frame();
    await setVolume(SPHERE);
    await expect(cameraPose()).resolves.toEqual(pose);
    await setVolume(SPHERE, { x: 5, y: 5, z: 20 });
    unit((await cameraPose()).position).forEach((c, i) => expect(c).toBeCloseTo([0, 0, 1][i], 5));
    // Closed and shown again (a new viewer): the panel hands the old pose on.
    await create();
    await setVolume(SPHERE);
    await page.evaluate((p) => window.viewerHarness.setCameraPose(p), pose);
    const again = await cameraPose();
    again.position.forEach((c, i) => expect(c).toBeCloseTo(pose.position[i], 9));
    expect((await frame()).bbox).toEqual(sideView.bbox);
  });

  it('box and axes: drawn when asked (x red, y green, z blue from voxel 0), gone when not; state validated', async () => {
    await create();
    await setVolume(SPHERE);
    await page.evaluate(() => window.viewerHarness.resetCamera([1, 0.8, 1.2]));
    const plain = await frame();
    const none = await page.evaluate(() => window.viewerHarness.axisColours());
    await setState({ showBox: true });
    const boxed = await frame('viewer-box-axes.png');
    const lit = await page.evaluate(() => window.viewerHarness.axisColours());
    expect(none).toEqual({ red: 0, green: 0, blue: 0 });
    expect(lit.red, JSON.stringify(lit)).toBeGreaterThan(20);
    expect(lit.green).toBeGreaterThan(20);
    expect(lit.blue).toBeGreaterThan(20);
    // The outline reaches beyond the sphere's silhouette (a cube's corners lie outside the inscribed sphere).
    expect(boxed.bbox.x1 - boxed.bbox.x0).toBeGreaterThan(plain.bbox.x1 - plain.bbox.x0 + 10);
    await expect(page.locator('#view canvas').getAttribute('data-show-box')).resolves.toBe('true');
    await expect(page.evaluate(() => window.viewerHarness.setState({ showBox: 'yes' as unknown as boolean }))).rejects.toThrow(/showBox must be true or false/);
    await setState({ showBox: false });
    await expect(page.evaluate(() => window.viewerHarness.axisColours())).resolves.toEqual({ red: 0, green: 0, blue: 0 });
    // The tests after this one count the GPU objects of a plain viewer.
    await create();
    await setVolume(SPHERE);
  });

  it('the React wrapper creates the viewer on mount and disposes it on unmount', async () => {
    const mounted = await page.evaluate(() => window.viewerHarness.mountReact());
    expect(mounted.canvases).toBe(1);
    expect(mounted.level).toEqual({ factors: [1, 1, 1], shape: [32, 32, 32] });
    await expect(page.evaluate(() => window.viewerHarness.unmountReact())).resolves.toEqual({ canvases: 0 });
  });

  it('dispose releases textures and geometries and removes the canvas', async () => {
    const before = await page.evaluate(() => window.viewerHarness.memory());
    expect(before.textures).toBe(1);
    expect(before.geometries).toBe(1);
    const after = await page.evaluate(() => window.viewerHarness.dispose());
    expect(after.memory).toEqual({ geometries: 0, textures: 0 });
    expect(after.canvasInPage).toBe(false);
    expect(after.canvasesInContainer).toBe(0);
  });

  it('without WebGL2 it refuses with a message that says what to do', async () => {
    const message = await page.evaluate(() => window.viewerHarness.withoutWebGL2());
    expect(message).toBe('3D view needs WebGL2: update the graphics driver or use the 2D views');
    await expect(page.evaluate(() => document.querySelectorAll('#view canvas').length)).resolves.toBe(0);
  });

  it.skipIf(process.env.FIBRECON_SKIP_VIEWER_512 === '1')('prints the time from setVolume of a 512^3 labels volume to the first frame', async () => {
    await create();
    const t = await page.evaluate(() => window.viewerHarness.timeFirstFrame([512, 512, 512]));
    console.log(
      `3D viewer, 512^3 uint8 labels (gyroid), SwiftShader, 480x480: setVolume to first frame ${t.firstFrameMs.toFixed(0)} ms ` +
        `(generating the volume ${t.generateMs.toFixed(0)} ms, a second view ${t.secondFrameMs.toFixed(0)} ms; level ${JSON.stringify(t.level)}, MAX_3D_TEXTURE_SIZE ${t.maxTexture3D})`,
    );
    savePng('viewer-gyroid-512.png', await page.evaluate(() => window.viewerHarness.screenshot()));
    expect(t.level?.factors).toEqual([1, 1, 1]);
    await page.evaluate(() => window.viewerHarness.dispose());
  }, 300_000);
});
