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

  public now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  public nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock by `ms` (may be negative). */
  public advance(ms: number): void {
    this.offsetMs += ms;
    for (const listener of this.listeners) listener(this.offsetMs);
  }

  public reset(): void {
    this.offsetMs = 0;
    for (const listener of this.listeners) listener(this.offsetMs);
  }
}
