// The orthoviews' read-out in Chromium against the real backend: the voxel
// under the pointer (index, position in nm with each slice's own stored z, and
// the value as stored: 16-bit here, not the 8-bit preview the views draw) and
// the value at the clicked cursor, checked against the voxels written into the
// project file.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../src-main/project/open-project';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { makeSlices } from '../helpers/stacks';
import { rendererBuilt } from './chromium';
import { startWizardSession, type WizardSession } from './wizard-session';

const [NZ, NY, NX] = [5, 24, 32];
const VOXEL = { x: 4, y: 5, z: 10 };
/** Unevenly spaced slices, as measured thicknesses leave them. */
const Z_NM = [0, 10, 25, 31, 50];
const SLICES = makeSlices(NZ, NY, NX, 'uint16', 7) as Uint16Array[];

async function writeProject(path: string): Promise<void> {
  const p = createProject(path, { name: 'read-out', appVersion: 'test' });
  try {
    const id = insertVolume(p.db, { name: 'deep', role: 'channel', kind: 'grey', dtype: 'uint16', shape: [NZ, NY, NX], voxelSizeNm: VOXEL, voxelSizeSource: { x: 't', y: 't', z: 't' } });
    const put = sliceWriter(p.db, id);
    for (let z = 0; z < NZ; z++) put(z, Z_NM[z], await encodeSlice(SLICES[z]));
    finishVolume(p.db, id);
  } finally {
    p.close();
  }
}

describe.skipIf(!rendererBuilt('orthoview read-out test'))('orthoview read-out in Chromium', () => {
  let session: WizardSession;
  let page: Page;
  const views = () => page.locator('.ortho-views[data-volume="deep"]');

  /** Moves the pointer to the middle of voxel (u, v) of a view: u across, v down, in the plane's own indices. */
  const hover = async (axis: 'xy' | 'xz' | 'yz', u: number, v: number, nu: number, nv: number) => {
    const b = (await views().locator(`.ortho-${axis} canvas`).boundingBox())!;
    await page.mouse.move(b.x + ((u + 0.5) / nu) * b.width, b.y + ((v + 0.5) / nv) * b.height);
  };
  const readout = async () => {
    const r = views().locator('.pointer-readout');
    return { z: await r.getAttribute('data-z'), y: await r.getAttribute('data-y'), x: await r.getAttribute('data-x'), value: await r.getAttribute('data-value'), text: await r.textContent() };
  };

  beforeAll(async () => {
    session = await startWizardSession({ name: 'ortho-readout' });
    page = session.page;
    const path = join(session.dir, 'readout.fibrecon');
    await writeProject(path);
    await page.locator('input[name="open-path"]').fill(path);
    await page.getByRole('button', { name: 'Open project', exact: true }).click();
    await views().locator('.ortho-xy canvas').waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('reads the stored voxel under the pointer in the xy view', async () => {
    const z = 2; // the xy view starts at the middle slice
    for (const [x, y] of [
      [3, 5],
      [30, 22],
      [17, 0],
    ]) {
      await hover('xy', x, y, NX, NY);
      const want = SLICES[z][y * NX + x];
      await expect.poll(readout).toMatchObject({ z: String(z), y: String(y), x: String(x), value: String(want) });
      const r = await readout();
      expect(r.text).toContain(`Pointer: z ${z} · y ${y} · x ${x} — x ${x * VOXEL.x} nm, y ${y * VOXEL.y} nm, z ${Z_NM[z]} nm · value ${want} (uint16)`);
    }
    // Values above 255: the stored 16-bit value, not the preview's.
    expect(SLICES[2].some((v) => v > 255)).toBe(true);
  });

  it('reads across the slices in the xz view, with each slice\'s own z', async () => {
    const y = 12; // the xz view shows the middle row
    for (const [x, z] of [
      [5, 3],
      [20, 4],
    ]) {
      await hover('xz', x, z, NX, NZ);
      await expect.poll(readout).toMatchObject({ z: String(z), y: String(y), x: String(x), value: String(SLICES[z][y * NX + x]) });
      expect((await readout()).text).toContain(`z ${Z_NM[z]} nm`);
    }
    await page.mouse.move(2, 2);
    await expect.poll(async () => (await readout()).text).toBe('Pointer: move over a view to read a voxel');
  });

  it('gives the stored value at the clicked cursor', async () => {
    const b = (await views().locator('.ortho-xy canvas').boundingBox())!;
    const [x, y] = [9, 14];
    await page.mouse.click(b.x + ((x + 0.5) / NX) * b.width, b.y + ((y + 0.5) / NY) * b.height);
    await expect.poll(() => views().locator('.cursor-value').textContent()).toBe(`value ${SLICES[2][y * NX + x]}`);
    await expect(views().locator('.cursor-readout').textContent()).resolves.toContain(`position x ${x * VOXEL.x} nm, y ${y * VOXEL.y} nm, z ${Z_NM[2]} nm`);
    expect(session.pageErrors).toEqual([]);
  });
});
