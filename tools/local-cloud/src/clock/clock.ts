/**
 * The local cloud's time. Everything that AWS checks against its own clock (signature skew, session
 * expiry, presigned URL expiry) reads this, so tests can move time instead of waiting.
 */
export class Clock {
  private offsetMs = 0;
  private readonly listeners: Array<(offsetMs: number) => void> = [];

  /** How far the clock is from the machine's, in ms. */
  public get offset(): number {
    return this.offsetMs;
  }

  /** Called with the new offset whenever the clock moves (parts running in other threads follow it). */
  public onChange(listener: (offsetMs: number) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  private frozenAtMs?: number;

  public now(): Date {
    return new Date(this.nowMs());
  }

  public nowMs(): number {
    return (this.frozenAtMs ?? Date.now()) + this.offsetMs;
  }

  /**
   * Stops the clock where it is (tests that count exactly, e.g. a token bucket's refills): only `advance` moves it
   * then, until `reset`. Keep it short: SigV4 signatures made meanwhile with the machine's clock drift from it.
   */
  public freeze(): void {
    this.frozenAtMs = Date.now();
  }

  /** Moves the clock by `ms` (may be negative). */
  public advance(ms: number): void {
    this.offsetMs += ms;
    for (const listener of this.listeners) listener(this.offsetMs);
  }

  public reset(): void {
    this.offsetMs = 0;
    this.frozenAtMs = undefined;
    for (const listener of this.listeners) listener(this.offsetMs);
  }
}
