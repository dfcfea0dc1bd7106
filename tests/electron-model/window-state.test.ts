// The remembered window state with real files in a temporary folder: saved and
// read back, a corrupt or invalid file gives the defaults, and the placement
// on today's displays (off-screen moved back, tiny grown to the minimum, too
// big shrunk, the display overlapped most chosen, maximised kept).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  loadWindowState,
  MIN_WINDOW_SIZE,
  placeWindow,
  saveWindowState,
  type Rect,
  type WindowState,
} from '../../src-main/electron-model/window-state';
import { tempDir } from '../helpers/python';

const FULL_HD: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
// A second monitor to the right, a little lower.
const RIGHT: Rect = { x: 1920, y: 200, width: 2560, height: 1400 };

describe('window state file', () => {
  const tmp = tempDir('fibrecon-window-state-');
  afterAll(() => tmp.cleanup());

  it('saves and reads back, creating the folder; no temporary file left behind', () => {
    const file = join(tmp.dir, 'user data', 'window-state.json');
    const state: WindowState = { x: 40, y: 30, width: 1400, height: 900, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    expect(readdirSync(join(tmp.dir, 'user data'))).toEqual(['window-state.json']);
  });

  it('rounds fractional bounds (scaled displays) and refuses to write an invalid state', () => {
    const file = join(tmp.dir, 'rounded.json');
    saveWindowState(file, { x: 10.4, y: 20.6, width: 1000.5, height: 700.2, maximized: false });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 21, width: 1001, height: 700, maximized: false });
    expect(() => saveWindowState(join(tmp.dir, 'bad.json'), { x: 0, y: 0, width: 0, height: 700, maximized: false })).toThrow();
    expect(existsSync(join(tmp.dir, 'bad.json'))).toBe(false);
  });

  it('missing, corrupt or invalid files give undefined (the defaults)', () => {
    expect(loadWindowState(join(tmp.dir, 'none.json'))).toBeUndefined();
    const cases = ['{"x": 1, "y": 2, "width": 80', '', 'null', '[1,2,3]', '{"x":0,"y":0,"width":-5,"height":600,"maximized":false}', '{"x":0,"y":0,"width":900,"height":600}', '{"x":"0","y":0,"width":900,"height":600,"maximized":false}'];
    for (const [i, text] of cases.entries()) {
      const file = join(tmp.dir, `corrupt-${i}.json`);
      writeFileSync(file, text);
      expect(loadWindowState(file), text).toBeUndefined();
    }
    expect(placeWindow(loadWindowState(join(tmp.dir, 'corrupt-0.json')), [FULL_HD])).toEqual({ x: 320, y: 90, ...DEFAULT_WINDOW_SIZE, maximized: false });
  });
});

describe('placeWindow', () => {
  it('no saved state: default size centred on the primary (first) display', () => {
    expect(placeWindow(undefined, [RIGHT, FULL_HD])).toEqual({ x: 1920 + 640, y: 200 + 270, ...DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('a state that fits is kept as it is, on either display', () => {
    const onLeft: WindowState = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    const onRight: WindowState = { x: 2500, y: 400, width: 1600, height: 1000, maximized: true };
    expect(placeWindow(onLeft, [FULL_HD, RIGHT])).toEqual(onLeft);
    expect(placeWindow(onRight, [FULL_HD, RIGHT])).toEqual(onRight);
  });

  it('off-screen (its monitor unplugged): moved onto the primary display, size kept', () => {
    const gone: WindowState = { x: 2500, y: 400, width: 1200, height: 800, maximized: false };
    const placed = placeWindow(gone, [FULL_HD]);
    expect(placed).toEqual({ x: 1920 - 1200, y: 1040 - 800, width: 1200, height: 800, maximized: false });
    const farAway = placeWindow({ x: -5000, y: -3000, width: 1000, height: 700, maximized: false }, [FULL_HD, RIGHT]);
    expect(farAway).toEqual({ x: 0, y: 0, width: 1000, height: 700, maximized: false });
  });

  it('partly off-screen: moved fully inside the display it overlaps most', () => {
    // Mostly on the right monitor, hanging over its bottom edge.
    const placed = placeWindow({ x: 3000, y: 1200, width: 1200, height: 800, maximized: false }, [FULL_HD, RIGHT]);
    expect(placed).toEqual({ x: 3000, y: 200 + 1400 - 800, width: 1200, height: 800, maximized: false });
    // Title bar above the top of the screen: brought down so it can be grabbed.
    expect(placeWindow({ x: 100, y: -300, width: 1000, height: 700, maximized: false }, [FULL_HD]).y).toBe(0);
  });

  it('tiny: grown to the minimum size; too big: shrunk to the work area', () => {
    const tiny = placeWindow({ x: 10, y: 10, width: 120, height: 80, maximized: false }, [FULL_HD]);
    expect(tiny).toEqual({ x: 10, y: 10, ...MIN_WINDOW_SIZE, maximized: false });
    const huge = placeWindow({ x: 0, y: 0, width: 5000, height: 3000, maximized: true }, [FULL_HD]);
    expect(huge).toEqual({ ...FULL_HD, maximized: true });
    // A display smaller than the minimum: the window takes the whole display.
    const small: Rect = { x: 0, y: 0, width: 640, height: 480 };
    expect(placeWindow({ x: 0, y: 0, width: 300, height: 200, maximized: false }, [small])).toEqual({ ...small, maximized: false });
  });
});
