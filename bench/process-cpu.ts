import { readdirSync, readFileSync } from 'node:fs';

/** CPU time per request, in µs, of each kind of process a request runs through. */
export interface CpuPerRequest {
  /** The local cloud's process: gateway, authorizers, DynamoDB, STS, logs. */
  cloud_us: number;
  /** The functions' execution environments (the cloud's child processes). */
  functions_us: number;
  /** The benchmark itself: the load generator and its signing. */
  driver_us: number;
}

type Snapshot = Map<number, { role: keyof CpuPerRequest; ms: number }>;

// utime and stime are fields 14 and 15 of /proc/<pid>/stat, counted in clock ticks (USER_HZ, 100 on Linux);
// the fields are counted after the command name, which is in parentheses and may hold spaces.
const TICK_MS = 10;

function readStat(pid: string): { ppid: number; ms: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined; // the process ended between the listing and the read
  }
}

/**
 * The CPU time so far of the cloud process, its children (function environments) and this process; undefined where
 * there is no /proc (not Linux): the benches then report no CPU split.
 */
export function cpuSnapshot(cloudPid: number): Snapshot | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const snapshot: Snapshot = new Map();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue;
    const id = Number(pid);
    if (id === cloudPid) snapshot.set(id, { role: 'cloud_us', ms: stat.ms });
    else if (stat.ppid === cloudPid) snapshot.set(id, { role: 'functions_us', ms: stat.ms });
    else if (id === process.pid) snapshot.set(id, { role: 'driver_us', ms: stat.ms });
  }
  return snapshot;
}

/**
 * CPU µs per request between two snapshots, by kind of process. A process that ended in between is not counted
 * (the benches measure steady state, where function environments stay up); one started in between counts from zero.
 */
export function cpuPerRequest(before: Snapshot, after: Snapshot, requests: number): CpuPerRequest {
  const totals: CpuPerRequest = { cloud_us: 0, functions_us: 0, driver_us: 0 };
  for (const [pid, { role, ms }] of after) totals[role] += ms - (before.get(pid)?.ms ?? 0);
  const perRequest = (ms: number) => Math.round((ms * 1000) / requests);
  return {
    cloud_us: perRequest(totals.cloud_us),
    functions_us: perRequest(totals.functions_us),
    driver_us: perRequest(totals.driver_us),
  };
}

/** Runs `load` and reports its result with the CPU each kind of process spent per request (when /proc exists). */
export async function withCpu<R extends { requests: number }>(
  cloudPid: number,
  load: () => Promise<R>,
): Promise<R & { cpu?: CpuPerRequest }> {
  const before = cpuSnapshot(cloudPid);
  const result = await load();
  const after = cpuSnapshot(cloudPid);
  return before && after ? { ...result, cpu: cpuPerRequest(before, after, result.requests) } : result;
}
