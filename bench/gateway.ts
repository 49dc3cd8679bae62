import { seededUserKeys } from '@sigv4-auth/local-cloud';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { startCloudChild } from './cloud-child';
import { runLoad } from './load';
import { interleaved, median, perRound, spreadOf, type Spread } from './measure';
import { withCpu, type CpuPerRequest } from './process-cpu';

/** The developer's published local keys (infra/local/identities.json). */
export const DEVELOPER = seededUserKeys('developer');

export interface GatewayResults {
  iam_rps: number;
  none_rps: number;
  iam_p50_ms: number;
  none_p50_ms: number;
  iam_to_none: number;
  /** COGNITO_USER_POOLS vs NONE, the same plain request to both (its Authorization header carries the ID token). */
  cognito_rps: number;
  none_plain_rps: number;
  cognito_p50_ms: number;
  cognito_to_none: number;
  /** CUSTOM (Lambda TOKEN authorizer, answer cached 300 s) vs NONE, the same request with the same token. */
  custom_rps: number;
  custom_to_none: number;
  /** The authorizer called on every request (TTL 0): one more invocation each. */
  custom_uncached_p50_ms: number;
  /** custom_uncached_p50_ms / NONE's p50 (issue goal: at most 2). */
  custom_uncached_to_none_p50: number;
  /** The authorizer's latency as API Gateway reports it (`integrationLatency`), uncached requests. */
  authorizer_latency_p50_ms: number;
  authorizer_latency_p99_ms: number;
  /** The NONE probe with ApiKeyRequired (a usage plan that never binds) vs without (issue goal: at least 0.95). */
  keyed_rps: number;
  keyed_to_none: number;
  /** Each ratio's median (the figure above), lowest and highest round. */
  spreads: Record<'iam_to_none' | 'cognito_to_none' | 'custom_to_none' | 'keyed_to_none', Spread>;
  /**
   * CPU µs per request of the cloud, the functions and the load generator, per kind (medians over the rounds; Linux
   * only): what each mechanism costs the cloud, free of the scheduling noise the requests/s ratios carry.
   */
  cpu?: Record<'iam' | 'none' | 'cognito' | 'plain' | 'custom' | 'keyed', CpuPerRequest>;
}

/**
 * The same trivial function behind AWS_IAM, COGNITO_USER_POOLS, CUSTOM (cached and not) and NONE in one local cloud (its own process, in memory):
 * requests/s at concurrency 8 and p50. Both get the same signed request (signed-fetch), so the ratio is the
 * gateway's own cost of AWS_IAM: SigV4 verification and policy evaluation. (The client's signing costs ~20%
 * of the requests/s on this 2-core machine, where client, gateway and function share the cores.)
 */
export async function benchGateway(count: number, rounds: number): Promise<GatewayResults> {
  const cloud = await startCloudChild(['--probe']);
  try {
    const iam = { url: cloud.urls.iam as string };
    const none = { url: cloud.urls.none as string };
    const signedFetch = createSignedFetch({
      region: 'us-east-1',
      service: 'execute-api',
      credentials: DEVELOPER,
    });
    const call = (send: typeof fetch, url: string) => async () => {
      const response = await send(`${url}/items/42`);
      await response.arrayBuffer();
      return response.status === 200;
    };
    const token = cloud.urls.cognitoIdToken as string;
    const withToken: typeof fetch = (url, init) => fetch(url, { ...init, headers: { authorization: token } });
    // The same warm-up in quick and full runs: each function's 8 environments started, the JIT settled. (Quick runs
    // once warmed up for 200 requests only, and their ratios read 0.55-0.65: warm-up, not the gateway.)
    const warm = { count: 600, concurrency: 8 };
    await runLoad(call(signedFetch, iam.url), warm);
    await runLoad(call(signedFetch, none.url), warm);
    await runLoad(call(withToken, cloud.urls.cognito as string), warm);
    await runLoad(call(withToken, none.url), warm);
    await runLoad(call(withToken, cloud.urls.custom as string), warm);
    const apiKey = cloud.urls.benchApiKey as string;
    const withKey: typeof fetch = (url, init) =>
      fetch(url, { ...init, headers: { authorization: token, 'x-api-key': apiKey } });
    await runLoad(call(withKey, cloud.urls.keyed as string), warm);
    const latencies: number[] = [];
    const uncached = async () => {
      const response = await withToken(`${cloud.urls.customUncached as string}/items/42`);
      const body = (await response.json()) as { authorizer?: { integrationLatency?: number } };
      if (typeof body.authorizer?.integrationLatency === 'number')
        latencies.push(body.authorizer.integrationLatency);
      return response.status === 200;
    };
    await runLoad(uncached, warm);
    latencies.length = 0;
    // Every kind in every round, the order rotated each round: drift on a noisy machine touches each kind alike.
    const load =
      (request: () => Promise<boolean>, n = count) =>
      () =>
        withCpu(cloud.pid, () => runLoad(request, { count: n, concurrency: 8 }));
    const runs = await interleaved(
      {
        iam: load(call(signedFetch, iam.url)),
        none: load(call(signedFetch, none.url)),
        cognito: load(call(withToken, cloud.urls.cognito as string)),
        plain: load(call(withToken, none.url)),
        custom: load(call(withToken, cloud.urls.custom as string)),
        keyed: load(call(withKey, cloud.urls.keyed as string)),
        uncached: load(uncached, Math.ceil(count / 3)),
      },
      rounds,
    );
    const failures = Object.values(runs)
      .flat()
      .reduce((sum, run) => sum + run.failures, 0);
    if (failures > 0) throw new Error(`gateway bench: ${failures} requests did not answer 200`);
    const rps = (kind: keyof typeof runs) => runs[kind].map((run) => run.rps);
    const p50 = (kind: keyof typeof runs) => median(runs[kind].map((run) => run.p50_ms));
    const ratio = (kind: keyof typeof runs, base: keyof typeof runs) =>
      spreadOf(perRound(rps(kind), rps(base)));
    const sorted = latencies.sort((a, b) => a - b);
    const percentile = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
    const iamToNone = ratio('iam', 'none');
    const cognitoToNone = ratio('cognito', 'plain');
    const customToNone = ratio('custom', 'plain');
    const keyedToNone = ratio('keyed', 'plain');
    const cpuOf = (kind: keyof typeof runs): CpuPerRequest | undefined => {
      const measured = runs[kind].flatMap((run) => (run.cpu ? [run.cpu] : []));
      if (measured.length === 0) return undefined;
      const field = (name: keyof CpuPerRequest) => median(measured.map((cpu) => cpu[name]));
      return {
        cloud_us: field('cloud_us'),
        functions_us: field('functions_us'),
        driver_us: field('driver_us'),
      };
    };
    const kinds = ['iam', 'none', 'cognito', 'plain', 'custom', 'keyed'] as const;
    const cpu = kinds.every((kind) => cpuOf(kind))
      ? (Object.fromEntries(kinds.map((kind) => [kind, cpuOf(kind)])) as GatewayResults['cpu'])
      : undefined;
    return {
      iam_rps: median(rps('iam')),
      none_rps: median(rps('none')),
      iam_p50_ms: p50('iam'),
      none_p50_ms: p50('none'),
      iam_to_none: iamToNone.median,
      cognito_rps: median(rps('cognito')),
      none_plain_rps: median(rps('plain')),
      cognito_p50_ms: p50('cognito'),
      cognito_to_none: cognitoToNone.median,
      custom_rps: median(rps('custom')),
      custom_to_none: customToNone.median,
      custom_uncached_p50_ms: p50('uncached'),
      custom_uncached_to_none_p50: p50('uncached') / p50('plain'),
      authorizer_latency_p50_ms: percentile(50),
      authorizer_latency_p99_ms: percentile(99),
      keyed_rps: median(rps('keyed')),
      keyed_to_none: keyedToNone.median,
      spreads: {
        iam_to_none: iamToNone,
        cognito_to_none: cognitoToNone,
        custom_to_none: customToNone,
        keyed_to_none: keyedToNone,
      },
      ...(cpu ? { cpu } : {}),
    };
  } finally {
    await cloud.stop();
  }
}
