import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { signedRequestFromNode } from '@sigv4-auth/sigv4-verifier';
import type { Clock } from '../clock/clock';
import type { IncomingRequest } from './incoming-request';

/** Reads a request fully, stopping (not buffering) past `maxBytes`: `body` then holds `maxBytes + 1` bytes. */
export async function readRequest(
  message: IncomingMessage,
  clock: Clock,
  maxBytes: number,
): Promise<IncomingRequest> {
  const receivedAt = clock.now();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of message as AsyncIterable<Buffer>) {
    if (size > maxBytes) continue; // drain without keeping
    chunks.push(chunk);
    size += chunk.length;
  }
  let body = Buffer.concat(chunks);
  if (body.length > maxBytes) body = body.subarray(0, maxBytes + 1);
  const wire = signedRequestFromNode(message, body);
  const headerPairs = wire.headers;
  const headers: Record<string, string> = {};
  for (const [name, value] of headerPairs) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  return {
    method: wire.method,
    rawPath: wire.path,
    rawQuery: wire.query,
    headerPairs,
    headers,
    body,
    sourceIp: (message.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    requestId: randomUUID(),
    receivedAt,
  };
}
