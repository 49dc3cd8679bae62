import { performance } from 'node:perf_hooks';
import { signRequest } from '@sigv4-auth/signed-fetch';
import type { LocalCloud } from '../local-cloud';
import { deployProbeStack } from './probe-stack';

export interface LoadTestOptions {
  requests: number;
  /** Of those, how many are tampered after signing (spread evenly). */
  tampered: number;
  concurrency: number;
  /** Signing credentials (the developer's). */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface LoadTestSummary {
  requests: number;
  accepted: number;
  refused: number;
  /** Good requests not answered 200, tampered ones not answered 403: must be empty. */
  unexpected: string[];
  seconds: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Heap after warm-up and at the end, after a GC when `--expose-gc` is on (MB). */
  heapAfterWarmupMb: number;
  heapAtEndMb: number;
  healthyAfter: boolean;
}

type Tamper = (request: { path: string; headers: Record<string, string>; body: string }) => void;

/** One byte changed after signing, in turn: path, query, body, a signed header, the signature, the date. */
const TAMPERS: Array<[string, Tamper]> = [
  [
    'path',
    (r) => (r.path = r.path.replace(/items\/(\d)/, (_m, d: string) => `items/${(Number(d) + 1) % 10}`)),
  ],
  ['query', (r) => (r.path = r.path.replace('n=', 'm='))],
  ['body', (r) => (r.body = r.body.replace('"qty":', '"qtz":'))],
  [
    'signed header',
    // Flip the first hex digit (setting it to '0' would change nothing when it already is one).
    (r) => {
      const hash = r.headers['x-amz-content-sha256']!;
      r.headers['x-amz-content-sha256'] = `${hash.startsWith('0') ? '1' : '0'}${hash.slice(1)}`;
    },
  ],
  [
    'signature',
    (r) =>
      (r.headers.authorization = r.headers.authorization!.replace(/Signature=(.)/, (_m, c: string) =>
        c === '0' ? 'Signature=1' : 'Signature=0',
      )),
  ],
  [
    'date',
    (r) =>
      (r.headers['x-amz-date'] = r.headers['x-amz-date']!.replace(/\d(Z)$/, (m) =>
        m[0] === '0' ? '1Z' : '0Z',
      )),
  ],
];

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
};

/**
 * Signed requests against an AWS_IAM probe API on a running local cloud, with tampered ones mixed in: every good
 * one must get 200, every tampered one 403; the cloud must stay healthy and its heap flat after warm-up.
 */
export async function runLoadTest(cloud: LocalCloud, options: LoadTestOptions): Promise<LoadTestSummary> {
  const { url } = await deployProbeStack(cloud, { stackName: 'load-test', authorizationType: 'AWS_IAM' });
  // Request i is tampered when it crosses the next multiple of requests/tampered: exactly `tampered` of them,
  // spread evenly, whatever the ratio.
  const isTampered = (i: number) =>
    Math.floor(((i + 1) * options.tampered) / options.requests) >
    Math.floor((i * options.tampered) / options.requests);
  let tamperedSoFar = 0;
  const latencies: number[] = [];
  const unexpected: string[] = [];
  let accepted = 0;
  let refused = 0;
  let next = 0;
  let heapAfterWarmupMb = 0;
  const warmup = Math.floor(options.requests / 10);

  const one = async (index: number) => {
    const tamper = isTampered(index) ? TAMPERS[tamperedSoFar++ % TAMPERS.length] : undefined;
    const target = new URL(`${url}/items/${index % 10}?n=${index}`);
    const body = JSON.stringify({ sku: `SKU-${index}`, qty: (index % 5) + 1 });
    const headers = await signRequest(
      {
        method: 'POST',
        url: target,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(body),
      },
      options.credentials,
      { region: 'us-east-1', service: 'execute-api' },
      { signingDate: cloud.clock.now() },
    );
    const request = { path: `${target.pathname}${target.search}`, headers: { ...headers }, body };
    tamper?.[1](request);
    const started = performance.now();
    const response = await fetch(`${target.origin}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    const expected = tamper ? 403 : 200;
    if (response.status === 403) refused += 1;
    if (response.status === 200) accepted += 1;
    if (response.status !== expected && unexpected.length < 20)
      unexpected.push(
        `#${index} ${tamper ? `tampered ${tamper[0]}` : 'good'}: ${response.status}, expected ${expected}`,
      );
  };

  // A listener leak (e.g. one per invocation on a warm worker) shows up as MaxListenersExceededWarning.
  const onWarning = (warning: Error) => {
    if (unexpected.length < 20) unexpected.push(`process warning: ${warning.name}: ${warning.message}`);
  };
  process.on('warning', onWarning);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.requests) {
        const index = next++;
        if (index === warmup) heapAfterWarmupMb = heapMb();
        await one(index).catch((error: unknown) => {
          if (unexpected.length < 20) unexpected.push(`#${index}: ${(error as Error).message}`);
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  process.off('warning', onWarning);
  const health = await fetch(`${cloud.url}/_local/health`).catch(() => undefined);
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    requests: options.requests,
    accepted,
    refused,
    unexpected,
    seconds,
    rps: options.requests / seconds,
    p50_ms: at(50),
    p99_ms: at(99),
    heapAfterWarmupMb,
    heapAtEndMb: heapMb(),
    healthyAfter: health?.status === 200,
  };
}
