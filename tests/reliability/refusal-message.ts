// What a refusal must say, checked the same way by every reliability test: what
// is wrong, naming the file, and what to do about it (a verb that starts the
// user's next step). No "internal" error, no stack trace, no endless message.
import { expect } from 'vitest';

/** Verbs that start what a message tells the user to do ("copy the file again", "choose the .fibrecon file", ...). */
export const REMEDY_VERBS = ['choose', 'copy', 're-export', 'export', 'give', 'restore', 'create', 're-import', 'import', 'update', 'convert', 'crop', 'raise', 'correct', 'write', 'enter', 'delete', 'remove', 'rename', 'open', 're-run', 'run'];

const REMEDY = new RegExp(`\\b(${REMEDY_VERBS.join('|')})\\b`, 'i');

/**
 * The message of a refusal: the CLI's error line "fibrecon: error [tag]: message", or, for a
 * report that found damage (`check --deep` exits 1 with its findings on stdout), the report's last line.
 */
export function refusalMessage(out: { stdout: string; stderr: string }): { tag?: string; message: string } | undefined {
  const m = /^fibrecon: error \[(\w+)\]: (.*)$/m.exec(out.stderr);
  if (m) return { tag: m[1], message: m[2] };
  const last = out.stdout.trimEnd().split('\n').at(-1);
  return last ? { message: last } : undefined;
}

export function expectActionableRefusal(out: { stdout: string; stderr: string }, names: string, context: string): void {
  const e = refusalMessage(out);
  expect.soft(e, `${context}\nno message`).toBeDefined();
  if (!e) return;
  expect.soft(e.tag, context).not.toBe('internal');
  expect.soft(e.message, `${context}\nthe message says what is wrong, naming it`).toContain(names);
  expect.soft(e.message, `${context}\nthe message says what to do (${REMEDY_VERBS.join(', ')})`).toMatch(REMEDY);
  expect.soft(e.message.length, context).toBeLessThanOrEqual(600);
  expect.soft(out.stderr, `${context}\nno stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+/);
}
