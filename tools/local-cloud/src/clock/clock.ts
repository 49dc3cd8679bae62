/**
 * The local cloud's time. Everything that AWS checks against its own clock (signature skew, session
 * expiry, presigned URL expiry) reads this, so tests can move time instead of waiting.
 */
export class Clock {
  private offsetMs = 0;

  public now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  public nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock by `ms` (may be negative). */
  public advance(ms: number): void {
    this.offsetMs += ms;
  }

  public reset(): void {
    this.offsetMs = 0;
  }
}
