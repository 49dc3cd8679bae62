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
  for (let round = 0; round < options.rounds; round += 1) perRound.push(await timeRound(fn, options.roundMs));
  return median(perRound);
}

/** Microseconds per call of `fn` over one round of at least `roundMs`, in batches of 50 awaited calls. */
async function timeRound(fn: () => unknown, roundMs: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < roundMs) {
    for (let i = 0; i < 50; i += 1) await fn();
    calls += 50;
    elapsed = performance.now() - started;
  }
  return (elapsed * 1000) / calls;
}

/** A ratio over the rounds: judged by the median, with the lowest and highest round beside it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Round by round: `a[i] / b[i]`. */
export function perRound(a: number[], b: number[]): number[] {
  return a.map((value, index) => value / (b[index] as number));
}

/**
 * Runs every kind once per round, the order rotated each round (round r starts with kind r), so drift on a noisy
 * machine (another process, a GC, thermal) lands on every kind alike instead of on whichever runs last.
 * Returns each kind's results, one per round.
 */
export async function interleaved<K extends string, R>(
  kinds: Record<K, () => Promise<R>>,
  rounds: number,
): Promise<Record<K, R[]>> {
  const names = Object.keys(kinds) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as R[]])) as Record<K, R[]>;
  for (let round = 0; round < rounds; round += 1)
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(round + i) % names.length] as K;
      results[name].push(await kinds[name]());
    }
  return results;
}

/**
 * Microseconds per call of each function, timed interleaved (see `interleaved`): after a warm-up of each, every
 * round times each for at least `roundMs`. Per kind, the µs of every round.
 */
export async function interleavedMicroseconds<K extends string>(
  fns: Record<K, () => unknown>,
  options: MeasureOptions,
): Promise<Record<K, number[]>> {
  const timed = Object.fromEntries(
    Object.entries(fns).map(([name, fn]) => [name, () => timeRound(fn as () => unknown, options.roundMs)]),
  ) as Record<K, () => Promise<number>>;
  for (const run of Object.values(timed) as Array<() => Promise<number>>) await run();
  return interleaved(timed, options.rounds);
}
