import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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
  const url = message.url ?? '/';
  const queryStart = url.indexOf('?');
  const headerPairs: Array<[string, string]> = [];
  for (let i = 0; i < message.rawHeaders.length; i += 2) {
    headerPairs.push([message.rawHeaders[i] as string, message.rawHeaders[i + 1] as string]);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of headerPairs) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  return {
    method: message.method ?? 'GET',
    rawPath: queryStart < 0 ? url : url.slice(0, queryStart),
    rawQuery: queryStart < 0 ? '' : url.slice(queryStart + 1),
    headerPairs,
    headers,
    body,
    sourceIp: (message.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    requestId: randomUUID(),
    receivedAt,
  };
}
