/**
 * Fault injection for tests and demos: `POST /_local/faults` makes matching Lambda invocations fail, slow
 * down or time out, so callers' handling of a failing dependency can be exercised for real (through the
 * gateway, with the status API Gateway would give: error -> 502, timeout -> 504).
 */
export type FaultMode = 'error' | 'latency' | 'timeout';

export interface Fault {
  id: number;
  /** A function name or a stack name (every function of the stack). */
  target: string;
  mode: FaultMode;
  /** latency: the delay before the function runs; timeout: how long until it times out (default: its timeout). */
  latencyMs?: number;
  /** Invocations it applies to; absent: until cleared. */
  count?: number;
  /** Invocations it has applied to so far. */
  applied: number;
}

export class FaultInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'FaultInputError';
  }
}

const MODES: readonly FaultMode[] = ['error', 'latency', 'timeout'];
const MAX_LATENCY_MS = 15 * 60 * 1000;

function wholeNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new FaultInputError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Validates `{"target", "mode", "latencyMs"?, "count"?}` and adds it; the first matching fault applies. */
  public add(input: unknown): Fault {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new FaultInputError('Body must be a JSON object: {"target", "mode", "latencyMs"?, "count"?}');
    const { target, mode, latencyMs, count, ...extra } = input as Record<string, unknown>;
    const unknown = Object.keys(extra);
    if (unknown.length > 0) throw new FaultInputError(`Unknown field(s): ${unknown.join(', ')}`);
    if (typeof target !== 'string' || target.trim() === '' || target.length > 256)
      throw new FaultInputError('target must be a function name or a stack name');
    if (typeof mode !== 'string' || !MODES.includes(mode as FaultMode))
      throw new FaultInputError(`mode must be one of ${MODES.join(', ')}`);
    const fault: Fault = {
      id: this.nextId++,
      target,
      mode: mode as FaultMode,
      latencyMs: wholeNumber(latencyMs, 'latencyMs', 0, MAX_LATENCY_MS),
      count: wholeNumber(count, 'count', 1, 1_000_000),
      applied: 0,
    };
    if (fault.mode === 'latency' && fault.latencyMs === undefined)
      throw new FaultInputError('mode latency needs latencyMs');
    this.faults.push(fault);
    return { ...fault };
  }

  public list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes every fault; returns how many there were. */
  public clear(): number {
    const cleared = this.faults.length;
    this.faults = [];
    return cleared;
  }

  /** The fault for this invocation, counted as applied (used up after `count`), if any matches. */
  public take(functionName: string, stackName: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) => candidate.target === functionName || candidate.target === stackName,
    );
    if (!fault) return undefined;
    fault.applied += 1;
    if (fault.count !== undefined && fault.applied >= fault.count)
      this.faults = this.faults.filter((candidate) => candidate !== fault);
    return { ...fault };
  }
}
