// The Annotate mode's keyboard shortcuts: 1 / 2 … choose a class, B brush,
// E eraser, F fill, [ and ] the brush radius, Ctrl+Z (Cmd+Z) undo. Listened to
// on the window while the mode is on, so they work wherever the pointer is,
// except while typing in a field.
import { useEffect } from 'react';
import { RADIUS_MAX_PX, type AnnotateTool, type AnnotationStore } from '../state/annotation-store';

export type AnnotateKeyAction = { type: 'label'; value: number } | { type: 'tool'; tool: AnnotateTool } | { type: 'radius'; delta: 1 | -1 } | { type: 'undo' };

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** What a key press asks for; null: not an Annotate key. */
export function annotateKeyAction(e: KeyLike): AnnotateKeyAction | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'z') return { type: 'undo' };
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return { type: 'label', value: Number(e.key) };
  if (e.key === '[') return { type: 'radius', delta: -1 };
  if (e.key === ']') return { type: 'radius', delta: 1 };
  const tool = ({ b: 'brush', e: 'eraser', f: 'fill' } as const)[e.key.toLowerCase() as 'b' | 'e' | 'f'];
  return tool ? { type: 'tool', tool } : null;
}

/** The next brush radius for [ or ]: 1 px steps while small, about a fifth of it when large. */
export function nextRadius(radiusPx: number, delta: 1 | -1): number {
  const step = Math.max(1, Math.round(radiusPx * 0.2));
  return Math.min(RADIUS_MAX_PX, Math.max(0, radiusPx + delta * step));
}

const NOT_TYPING = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset']);

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (el === null || typeof el.tagName !== 'string') return false;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable) return true;
  return el.tagName === 'INPUT' && !NOT_TYPING.has((el as HTMLInputElement).type);
}

/** Applies the shortcuts to the annotation model while `active`. */
export function useAnnotateKeys(annotation: AnnotationStore, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const down = (e: KeyboardEvent) => {
      if (typingIn(e.target)) return;
      const a = annotateKeyAction(e);
      if (a === null) return;
      const s = annotation.getState();
      if (a.type === 'label') {
        if (!s.summary?.classes.some((c) => c.value === a.value)) return;
        annotation.setLabel(a.value);
      } else if (a.type === 'tool') annotation.setTool(a.tool);
      else if (a.type === 'radius') annotation.setRadius(nextRadius(s.radiusPx, a.delta));
      else annotation.undo();
      e.preventDefault();
    };
    window.addEventListener('keydown', down);
    return () => window.removeEventListener('keydown', down);
  }, [annotation, active]);
}
