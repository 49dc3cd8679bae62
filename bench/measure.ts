import { performance } from 'node:perf_hooks';

export interface MeasureOptions {
  /** Rounds whose median is reported (these machines are noisy). */
  rounds: number;
  /** Minimum wall time per round. */
  roundMs: number;
}

export const FULL: MeasureOptions = { rounds: 9, roundMs: 300 };
export const QUICK: MeasureOptions = { rounds: 5, roundMs: 100 };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Median microseconds per call of `fn`, awaited one call at a time: warm-up first (JIT, caches), then
 * `rounds` rounds of at least `roundMs` each.
 */
export async function microsecondsPerCall(fn: () => unknown, options: MeasureOptions): Promise<number> {
  const warmUntil = performance.now() + options.roundMs;
  while (performance.now() < warmUntil) await fn();
  const perRound: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    let calls = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < options.roundMs) {
      for (let i = 0; i < 50; i += 1) await fn();
      calls += 50;
      elapsed = performance.now() - started;
    }
    perRound.push((elapsed * 1000) / calls);
  }
  return median(perRound);
}
