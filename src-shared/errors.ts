// Errors cross every boundary (worker, IPC, HTTP bridge, CLI) as plain tagged
// values with a message a user can act on: what went wrong, where, what to do.

export type ErrorTag =
  | 'invalid_input' // a request or parameter is malformed or out of range
  | 'file_not_found'
  | 'empty_folder'
  | 'corrupt_file' // truncated or malformed input file
  | 'unsupported_format' // a valid file of a kind we do not read (1-bit, float, ...)
  | 'size_mismatch' // slices or channels that do not agree in size
  | 'not_a_project' // a file that is not a fibrecon project
  | 'newer_project_version' // written by a newer fibrecon
  | 'project_locked' // another process writes to this project
  | 'no_project' // an operation that needs an open project
  | 'not_found' // a channel, job or record that does not exist
  | 'file_exists' // an output would replace an existing file: ask the user, then retry with overwrite
  | 'cancelled'
  | 'dialog_unavailable' // a native file dialog asked for where there is none (browser): type or drop the path
  | 'internal';

export interface AppErrorValue {
  tag: ErrorTag;
  message: string;
  /** The file the error is about, when there is one. */
  file?: string;
}

/** The most characters of an error message that are shown, sent or stored. */
export const MAX_MESSAGE_CHARS = 500;

/**
 * Cuts an over-long text (an error that quotes a whole line of a broken input file) to at most
 * `max` characters: its start and its end (where messages say what to do) around a note of the cut.
 */
export function cutLongText(text: string, max = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  const note = (n: number) => ` … (${n} characters cut) … `;
  const keep = max - note(text.length).length;
  const head = Math.ceil(keep * 0.7);
  const tail = keep - head;
  return text.slice(0, head) + note(text.length - keep) + text.slice(text.length - tail);
}

export class AppError extends Error {
  readonly tag: ErrorTag;
  readonly file?: string;
  constructor(tag: ErrorTag, message: string, file?: string) {
    super(message);
    this.name = 'AppError';
    this.tag = tag;
    this.file = file;
  }
  /** The error as it crosses a boundary (shown, sent to the app, stored in a run): its message cut to MAX_MESSAGE_CHARS. */
  toValue(): AppErrorValue {
    const message = cutLongText(this.message);
    return this.file === undefined ? { tag: this.tag, message } : { tag: this.tag, message, file: cutLongText(this.file) };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorValue };

/** Turns anything thrown into a serialisable error value. */
export function toErrorValue(e: unknown): AppErrorValue {
  if (e instanceof AppError) return e.toValue();
  if (isAppErrorValue(e)) return e.message.length > MAX_MESSAGE_CHARS ? { ...e, message: cutLongText(e.message) } : e;
  const message = e instanceof Error ? e.message : String(e);
  return { tag: 'internal', message: cutLongText(`Unexpected error: ${message}. Please report it with the log.`) };
}

export function isAppErrorValue(x: unknown): x is AppErrorValue {
  return typeof x === 'object' && x !== null && typeof (x as AppErrorValue).tag === 'string' && typeof (x as AppErrorValue).message === 'string';
}

export function fromErrorValue(v: AppErrorValue): AppError {
  return new AppError(v.tag, v.message, v.file);
}

export function isCancelled(e: unknown): boolean {
  return (e instanceof AppError && e.tag === 'cancelled') || (e instanceof Error && e.name === 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'The job was cancelled; nothing was changed.');
}
