// A vertical bar between two panels of the workspace: dragging it with the
// pointer (or the arrow keys when it has focus) changes the width of the side
// panel it belongs to. The width is kept in localStorage, so the layout comes
// back as it was left.
import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

export interface PanelWidth {
  width: number;
  setWidth: (w: number) => void;
}

const clampWidth = (w: number, min: number, max: number) => Math.round(Math.min(max, Math.max(min, w)));

function readStored(key: string): number | null {
  try {
    const v = Number(window.localStorage.getItem(key));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/** A side panel's width in px, between min and max, remembered under `key`. */
export function usePanelWidth(key: string, initial: number, min: number, max: number): PanelWidth {
  const [width, set] = useState(() => clampWidth(readStored(key) ?? initial, min, max));
  const setWidth = useCallback(
    (w: number) => {
      const c = clampWidth(w, min, max);
      set(c);
      try {
        window.localStorage.setItem(key, String(c));
      } catch {
        /* storage off: the width lasts until the page closes */
      }
    },
    [key, min, max],
  );
  return { width, setWidth };
}

/** side 'left': the panel left of the bar grows as the bar moves right; 'right': the panel right of it grows as it moves left. */
export function Splitter({ side, panel, label }: { side: 'left' | 'right'; panel: PanelWidth; label: string }) {
  const start = useRef<{ x: number; width: number } | null>(null);
  const sign = side === 'left' ? 1 : -1;
  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, width: panel.width };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current === null) return;
    panel.setWidth(start.current.width + sign * (e.clientX - start.current.x));
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    start.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const d = e.key === 'ArrowRight' ? 16 : e.key === 'ArrowLeft' ? -16 : 0;
    if (d === 0) return;
    e.preventDefault();
    panel.setWidth(panel.width + sign * d);
  };
  return (
    <div
      className={`splitter splitter-${side}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={panel.width}
      tabIndex={0}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onKeyDown={key}
    />
  );
}
