// The main window's position, size and maximised state, remembered between
// runs in window-state.json in the user data folder. What is read back is
// checked (a corrupt or hand-edited file gives the defaults) and placed on the
// displays there are now, so that the window never opens off-screen or too
// small to use (a monitor unplugged, a resolution changed). No Electron here:
// main-window.ts passes the displays' work areas as plain rectangles.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const WindowStateSchema = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 };
export const MIN_WINDOW_SIZE = { width: 800, height: 600 };
export const WINDOW_STATE_FILE = 'window-state.json';

/** The saved state, or undefined when there is none or it cannot be used (then the defaults apply). */
export function loadWindowState(file: string): WindowState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file, so that a crash mid-write leaves the old state, not half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  const valid = WindowStateSchema.parse({ ...state, x: Math.round(state.x), y: Math.round(state.y), width: Math.round(state.width), height: Math.round(state.height) });
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Where the window opens: the saved bounds on the display they overlap most
 * (the first display, the primary, when they overlap none), at least the
 * minimum size and at most the display's work area, moved inside it. Without
 * a saved state: the default size centred on the primary display.
 */
export function placeWindow(saved: WindowState | undefined, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE };
  if (saved === undefined) {
    const width = clamp(DEFAULT_WINDOW_SIZE.width, Math.min(MIN_WINDOW_SIZE.width, primary.width), primary.width);
    const height = clamp(DEFAULT_WINDOW_SIZE.height, Math.min(MIN_WINDOW_SIZE.height, primary.height), primary.height);
    return { x: primary.x + Math.floor((primary.width - width) / 2), y: primary.y + Math.floor((primary.height - height) / 2), width, height, maximized: false };
  }
  let area = primary;
  let best = 0;
  for (const a of workAreas) {
    const overlap = overlapArea(saved, a);
    if (overlap > best) [area, best] = [a, overlap];
  }
  // A display smaller than the minimum size gets the whole display.
  const width = clamp(saved.width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width);
  const height = clamp(saved.height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height);
  return {
    x: clamp(saved.x, area.x, area.x + area.width - width),
    y: clamp(saved.y, area.y, area.y + area.height - height),
    width,
    height,
    maximized: saved.maximized,
  };
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
