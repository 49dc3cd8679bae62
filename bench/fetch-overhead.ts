import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { microsecondsPerCall, type MeasureOptions } from './measure';

export interface FetchOverheadResults {
  /** What signed-fetch adds per request: credentials lookup, body buffering, hashing, signing. */
  overhead_us: number;
  /** For scale: one plain fetch round trip to a local keep-alive server. */
  plain_fetch_us: number;
  /** The same round trip through signed-fetch. */
  signed_fetch_us: number;
}

const BODY = JSON.stringify({ customerId: 'c-42', note: 'x'.repeat(1024 - 40) });
const INIT = { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } };
const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/**
 * signed-fetch's own cost per request, measured with a transport that answers at once (a round trip on
 * loopback is ~1 ms of noise, far above the tens of µs measured here); the round trips are reported for scale.
 */
export async function benchFetchOverhead(options: MeasureOptions): Promise<FetchOverheadResults> {
  const answered = async () => new Response(null, { status: 204 });
  const instant = createSignedFetch({ ...SCOPE, credentials: CREDENTIALS, fetch: answered as typeof fetch });
  const url = 'https://abc123def4.execute-api.us-east-1.amazonaws.com/prod/orders';
  const baseline_us = await microsecondsPerCall(() => answered(), options);
  const instant_us = await microsecondsPerCall(() => instant(url, INIT), options);

  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod/orders`;
  const signedFetch = createSignedFetch({ ...SCOPE, credentials: CREDENTIALS });
  try {
    const plain_fetch_us = await microsecondsPerCall(
      async () => (await fetch(local, INIT)).arrayBuffer(),
      options,
    );
    const signed_fetch_us = await microsecondsPerCall(
      async () => (await signedFetch(local, INIT)).arrayBuffer(),
      options,
    );
    return { overhead_us: instant_us - baseline_us, plain_fetch_us, signed_fetch_us };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
