import { seededUserKeys } from '@sigv4-auth/local-cloud';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { startCloudChild } from './cloud-child';
import { runLoad } from './load';

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
}

/**
 * The same trivial function behind AWS_IAM, COGNITO_USER_POOLS, CUSTOM (cached and not) and NONE in one local cloud (its own process, in memory):
 * requests/s at concurrency 8 and p50. Both get the same signed request (signed-fetch), so the ratio is the
 * gateway's own cost of AWS_IAM: SigV4 verification and policy evaluation. (The client's signing costs ~20%
 * of the requests/s on this 2-core machine, where client, gateway and function share the cores.)
 */
export async function benchGateway(count: number): Promise<GatewayResults> {
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
    const warm = { count: Math.min(200, count), concurrency: 8 };
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
    // Alternate, so drift on a noisy machine touches every kind.
    const iamRuns = [];
    const noneRuns = [];
    const cognitoRuns = [];
    const plainRuns = [];
    const customRuns = [];
    const keyedRuns = [];
    const uncachedRuns = [];
    for (let round = 0; round < 3; round += 1) {
      iamRuns.push(await runLoad(call(signedFetch, iam.url), { count, concurrency: 8 }));
      noneRuns.push(await runLoad(call(signedFetch, none.url), { count, concurrency: 8 }));
      cognitoRuns.push(
        await runLoad(call(withToken, cloud.urls.cognito as string), { count, concurrency: 8 }),
      );
      plainRuns.push(await runLoad(call(withToken, none.url), { count, concurrency: 8 }));
      customRuns.push(await runLoad(call(withToken, cloud.urls.custom as string), { count, concurrency: 8 }));
      keyedRuns.push(await runLoad(call(withKey, cloud.urls.keyed as string), { count, concurrency: 8 }));
      uncachedRuns.push(await runLoad(uncached, { count: Math.ceil(count / 3), concurrency: 8 }));
    }
    const failures = [
      ...iamRuns,
      ...noneRuns,
      ...cognitoRuns,
      ...plainRuns,
      ...customRuns,
      ...uncachedRuns,
      ...keyedRuns,
    ].reduce((sum, run) => sum + run.failures, 0);
    if (failures > 0) throw new Error(`gateway bench: ${failures} requests did not answer 200`);
    const mid = <T>(runs: T[], key: keyof T) =>
      runs.map((run) => run[key] as number).sort((a, b) => a - b)[1] as number;
    const results = {
      iam_rps: mid(iamRuns, 'rps'),
      none_rps: mid(noneRuns, 'rps'),
      iam_p50_ms: mid(iamRuns, 'p50_ms'),
      none_p50_ms: mid(noneRuns, 'p50_ms'),
    };
    const cognito = {
      cognito_rps: mid(cognitoRuns, 'rps'),
      none_plain_rps: mid(plainRuns, 'rps'),
      cognito_p50_ms: mid(cognitoRuns, 'p50_ms'),
    };
    const sorted = latencies.sort((a, b) => a - b);
    const percentile = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
    const custom = {
      custom_rps: mid(customRuns, 'rps'),
      custom_uncached_p50_ms: mid(uncachedRuns, 'p50_ms'),
    };
    return {
      ...results,
      iam_to_none: results.iam_rps / results.none_rps,
      ...cognito,
      cognito_to_none: cognito.cognito_rps / cognito.none_plain_rps,
      ...custom,
      custom_to_none: custom.custom_rps / cognito.none_plain_rps,
      custom_uncached_to_none_p50: custom.custom_uncached_p50_ms / mid(plainRuns, 'p50_ms'),
      authorizer_latency_p50_ms: percentile(50),
      authorizer_latency_p99_ms: percentile(99),
      keyed_rps: mid(keyedRuns, 'rps'),
      keyed_to_none: mid(keyedRuns, 'rps') / cognito.none_plain_rps,
    };
  } finally {
    await cloud.stop();
  }
}
