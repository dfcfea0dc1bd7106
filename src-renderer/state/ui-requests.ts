// Requests from the native menu to parts of the window that keep their own
// state (the orthoviews' cursor, the import form's fields, the 3D view): a tiny
// bus, so that the store needs to know nothing about them.

export type UiRequest =
  | { type: 'slice-step'; delta: 1 | -1 }
  /** Show xy slice z (the Annotate mode's list of annotated slices). */
  | { type: 'go-to-slice'; z: number }
  | { type: 'import-browse' }
  | { type: 'show-3d' }
  /** A path field to type into, when no native dialog can be shown. */
  | { type: 'focus-path'; field: 'create-path' | 'open-path'; message: string };

/** Returns true when it acted on the request. */
export type UiRequestListener = (r: UiRequest) => boolean;

export class UiRequests {
  private readonly listeners = new Set<UiRequestListener>();
  private waiting: UiRequest[] = [];

  /**
   * Tells every listener. With `untilHeard`, a request nobody acted on waits
   * for the next listener that acts on it: e.g. the import form, which mounts
   * only after the step has been switched to Import.
   */
  emit(request: UiRequest, opts: { untilHeard?: boolean } = {}): void {
    let heard = false;
    for (const l of [...this.listeners]) heard = l(request) || heard;
    if (!heard && opts.untilHeard) this.waiting = [...this.waiting.filter((w) => w.type !== request.type), request];
  }

  /** Returns an unsubscribe function (for a React effect's cleanup). */
  on(listener: UiRequestListener): () => void {
    this.listeners.add(listener);
    this.waiting = this.waiting.filter((w) => !listener(w));
    return () => {
      this.listeners.delete(listener);
    };
  }
}

/** The window's one bus. */
export const uiRequests = new UiRequests();
