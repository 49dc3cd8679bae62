import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromiumAvailable, launchChromium } from '@sigv4-auth/testing';
import { startCloudChild } from './cloud-child';
import { runLoad } from './load';
import { median } from './measure';

export interface ConsoleResults {
  /** NONE probe requests/s at concurrency 8, nobody watching (median of the rounds). */
  closed_rps: number;
  /** The same, while a client reads what the page reads: the state every second and the live log long-poll. */
  reader_rps: number;
  /** Per-round reader_rps / closed_rps: median, lowest and highest (issue goal: median >= 0.95). */
  reader_to_closed: number;
  reader_to_closed_min: number;
  reader_to_closed_max: number;
  /** The same, while the page itself is open in headless Chromium (which shares the 2 cores); absent without it. */
  browser_rps?: number;
  browser_to_closed?: number;
  browser_to_closed_min?: number;
  browser_to_closed_max?: number;
  /** Chromium's CPU (all its processes) while the page was open under load, in cores (1: one core's whole time). */
  browser_cpu_cores?: number;
  /** Live-log entries the reader was told of (sent or counted as skipped), over the requests sent (1: all). */
  reader_seen_fraction: number;
}

/** CPU seconds used so far by every Chromium process (Linux /proc; 0 elsewhere). */
function chromiumCpuSeconds(): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!/chrom/i.test(name)) continue;
      // After the name: the state (the line's 3rd field), ..., utime and stime (its 14th and 15th), in ticks.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / ticksPerSecond;
}

/** What the console page does (console-page/src/main.ts): a snapshot every second, the live log without pause. */
function startReader(base: string, cookie: string, seen: { entries: number }): () => Promise<void> {
  const abort = new AbortController();
  const headers = { cookie };
  const read = async (url: string) => {
    const answer = await fetch(url, { headers, signal: abort.signal });
    if (!answer.ok) throw new Error(`console read ${url}: ${answer.status}`);
    return answer.json();
  };
  const state = (async () => {
    while (!abort.signal.aborted) {
      await read(`${base}/_local/console/api/state`);
      await sleep(1000);
    }
  })();
  const log = (async () => {
    let { sequence } = (await read(`${base}/_local/console/api/requests`)) as { sequence: number };
    while (!abort.signal.aborted) {
      const started = Date.now();
      const answer = (await read(`${base}/_local/console/api/requests?after=${sequence}`)) as {
        sequence: number;
        requests: unknown[];
        skipped: number;
      };
      seen.entries += answer.requests.length + answer.skipped;
      sequence = answer.sequence;
      // The page's pace: at most one read a second while entries keep coming.
      if (answer.requests.length > 0) await sleep(1000 - (Date.now() - started));
    }
  })();
  return async () => {
    abort.abort();
    // An aborted fetch rejects: that is the stop, not a failure.
    await Promise.allSettled([state, log]);
  };
}

/**
 * Gateway throughput with the console open and streaming vs closed: the NONE probe (the gateway's own cost is all
 * there is to slow down) at concurrency 8, in rounds that rotate the order of closed, reader and browser so drift
 * on a noisy machine touches each. The local cloud has the benchmark's full probe set deployed (7 APIs, a user
 * pool with a user, cached authorizer answers), so each snapshot costs what a real one does.
 */
export async function benchConsole(count: number, rounds: number): Promise<ConsoleResults> {
  // The page the browser opens is the one the sources describe.
  execFileSync(process.execPath, [path.join(__dirname, '..', 'tools/local-cloud/console-page/build.mjs')], {
    stdio: 'inherit',
  });
  const cloud = await startCloudChild(['--probe', '--console']);
  const browser = chromiumAvailable() ? await launchChromium() : undefined;
  if (!browser) console.log('  (no /usr/bin/chromium: the browser rows are left out)');
  try {
    const base = cloud.urls.cloud as string;
    const link = await fetch(cloud.urls.consoleLink as string, { redirect: 'manual' });
    const cookie = (link.headers.get('set-cookie') ?? '').split(';')[0] as string;
    if (link.status !== 303 || !cookie) throw new Error(`console sign-in: ${link.status}`);
    const context = await browser?.newContext();
    await context?.addCookies([
      {
        name: cookie.split('=')[0] as string,
        value: cookie.slice(cookie.indexOf('=') + 1),
        url: `${base}/_local/console`,
      },
    ]);
    const call = async () => {
      const response = await fetch(`${cloud.urls.none as string}/items/42`);
      await response.arrayBuffer();
      return response.status === 200;
    };
    const load = () => runLoad(call, { count, concurrency: 8 });
    const seen = { entries: 0 };
    let readerRequests = 0;
    const browserCpu: number[] = [];
    const kinds = {
      closed: load,
      reader: async () => {
        const stop = startReader(base, cookie, seen);
        const result = await load();
        readerRequests += count;
        // Its last read comes within a second (the page's pace): then it has been told of every request.
        await sleep(1300);
        await stop();
        return result;
      },
      ...(context && {
        browser: async () => {
          const page = await context.newPage();
          await page.goto(`${base}/_local/console/`);
          await page.locator('[data-testid="routes"] tr[data-mechanism]').first().waitFor();
          // Steady state, as a console that has been open a while: its first render and charts are done.
          await sleep(2000);
          const cpuBefore = chromiumCpuSeconds();
          const result = await load();
          browserCpu.push((chromiumCpuSeconds() - cpuBefore) / result.seconds);
          await page.close();
          return result;
        },
      }),
    };
    type Kind = keyof typeof kinds;
    const names = Object.keys(kinds) as Kind[];
    // Warm-up: JIT, the functions' processes, the page's first load.
    for (const name of names) await kinds[name]?.();
    seen.entries = 0;
    readerRequests = 0;
    browserCpu.length = 0;
    const rps: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round += 1)
      for (let i = 0; i < names.length; i += 1) {
        const name = names[(round + i) % names.length] as Kind;
        const result = await (kinds[name] as () => Promise<{ rps: number; failures: number }>)();
        if (result.failures > 0)
          throw new Error(`console bench: ${result.failures} requests did not answer 200`);
        rps[name]?.push(result.rps);
      }
    const ratios = (name: string) =>
      (rps[name] as number[]).map((value, index) => value / (rps.closed?.[index] as number));
    const spread = (name: string) => {
      const values = ratios(name);
      return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
    };
    const reader = spread('reader');
    const inBrowser = rps.browser ? spread('browser') : undefined;
    return {
      closed_rps: median(rps.closed as number[]),
      reader_rps: median(rps.reader as number[]),
      reader_to_closed: reader.median,
      reader_to_closed_min: reader.min,
      reader_to_closed_max: reader.max,
      ...(inBrowser && {
        browser_rps: median(rps.browser as number[]),
        browser_to_closed: inBrowser.median,
        browser_to_closed_min: inBrowser.min,
        browser_to_closed_max: inBrowser.max,
        browser_cpu_cores: median(browserCpu),
      }),
      reader_seen_fraction: seen.entries / readerRequests,
    };
  } finally {
    await browser?.close();
    await cloud.stop();
  }
}
