import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { signedRequestFromNode } from '@sigv4-auth/sigv4-verifier';
import type { Clock } from '../clock/clock';
import type { IncomingRequest } from './incoming-request';

/**
 * Request bodies the cloud holds in memory at once, across all connections. A body that would go over it is
 * refused (503) instead of buffered: 60 half-sent 10 MB uploads must not cost 600 MB.
 */
export class InflightBytes {
  private used = 0;

  public constructor(public readonly limit: number) {}

  public reserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  public release(bytes: number): void {
    this.used -= bytes;
  }
}

export class BodyRefusedError extends Error {
  public constructor(public readonly reason: 'too-large' | 'busy') {
    super(reason === 'too-large' ? 'request body too large' : 'too many request bytes in flight');
    this.name = 'BodyRefusedError';
  }
}

/** The request line and headers, before any of the body is read (`body` empty). */
export function requestHead(message: IncomingMessage, clock: Clock): IncomingRequest {
  const receivedAt = clock.now();
  const wire = signedRequestFromNode(message, new Uint8Array(0));
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
    body: Buffer.alloc(0),
    sourceIp: (message.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    sourcePort: message.socket.remotePort,
    connection: message.socket,
    requestId: randomUUID(),
    receivedAt,
  };
}

/**
 * Reads the body, at most `maxBytes`, each chunk counted against `inflight` until the request is answered
 * (`release` with the returned size). Throws BodyRefusedError past either limit; the caller answers and closes.
 */
export async function readBody(
  message: IncomingMessage,
  maxBytes: number,
  inflight: InflightBytes,
): Promise<{ body: Buffer; reserved: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of message as AsyncIterable<Buffer>) {
      if (size + chunk.length > maxBytes) throw new BodyRefusedError('too-large');
      if (!inflight.reserve(chunk.length)) throw new BodyRefusedError('busy');
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (error) {
    inflight.release(size);
    throw error;
  }
  return { body: Buffer.concat(chunks), reserved: size };
}
