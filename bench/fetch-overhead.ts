import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { microsecondsPerCall, type MeasureOptions } from './measure';

/**
 * What signed-fetch adds to a request: the same 1 KB POST with plain fetch and with signed-fetch (static
 * credentials, no retries needed) against a local keep-alive server that answers 204. The difference is
 * buffering, hashing and signing.
 */
export async function benchFetchOverhead(options: MeasureOptions): Promise<{ plain_us: number; signed_us: number; overhead_us: number }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod/orders`;
  const body = JSON.stringify({ customerId: 'c-42', note: 'x'.repeat(1024 - 40) });
  const init = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
  const signedFetch = createSignedFetch({
    region: 'us-east-1',
    service: 'execute-api',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  });
  try {
    const plain_us = await microsecondsPerCall(async () => (await fetch(url, init)).arrayBuffer(), options);
    const signed_us = await microsecondsPerCall(async () => (await signedFetch(url, init)).arrayBuffer(), options);
    return { plain_us, signed_us, overhead_us: signed_us - plain_us };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
