// A slow request run for the newest wish only (the classifier's live preview):
// a wish waits `delayMs` and a newer wish within that time restarts the wait
// (debounce); at most one request is in flight; a wish made while one is in
// flight runs when that one returns; an answer that no longer fits what is
// wanted (isCurrent false) is dropped, never shown.
export type RequestPhase = 'idle' | 'waiting' | 'running';

export interface LatestRequestOptions<K, T> {
  delayMs: number;
  /** The request; errors must come back as values (it should not throw). */
  run: (key: K) => Promise<T>;
  /** Asked when an answer arrives: is it still what the user looks at? */
  isCurrent: (key: K, value: T) => boolean;
  onResult: (key: K, value: T) => void;
  onPhase: (phase: RequestPhase) => void;
}

export class LatestRequest<K, T> {
  private wanted: K | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private again = false;
  /** Requests started so far. */
  started = 0;

  constructor(private readonly o: LatestRequestOptions<K, T>) {}

  /** Asks for `key` after the delay; a later ask replaces it. */
  request(key: K): void {
    this.wanted = key;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.fire();
    }, this.o.delayMs);
    if (!this.inFlight) this.o.onPhase('waiting');
  }

  /** Forgets the wish; an answer still on its way is then dropped by isCurrent. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.wanted = null;
    this.again = false;
    if (!this.inFlight) this.o.onPhase('idle');
  }

  private async fire(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const key = this.wanted;
    if (key === null) return;
    this.inFlight = true;
    this.started++;
    this.o.onPhase('running');
    let value: T;
    try {
      value = await this.o.run(key);
    } catch (e) {
      this.inFlight = false;
      this.o.onPhase('idle');
      throw e;
    }
    this.inFlight = false;
    if (this.o.isCurrent(key, value)) this.o.onResult(key, value);
    if (this.again) {
      this.again = false;
      return this.fire();
    }
    this.o.onPhase(this.timer !== null ? 'waiting' : 'idle');
  }
}
