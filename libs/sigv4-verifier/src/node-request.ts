import type { IncomingMessage } from 'node:http';
import type { SignedRequest } from './types';

/**
 * The parts of a node `IncomingMessage` SigV4 covers, as they came over the wire: the raw path and query
 * (percent-encoding kept) and the raw header pairs in order (duplicates kept). `body` is the full body read.
 */
export function signedRequestFromNode(message: IncomingMessage, body: Uint8Array): SignedRequest {
  const url = message.url ?? '/';
  const queryStart = url.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) {
    headers.push([message.rawHeaders[i] as string, message.rawHeaders[i + 1] as string]);
  }
  return {
    method: message.method ?? 'GET',
    path: queryStart < 0 ? url : url.slice(0, queryStart),
    query: queryStart < 0 ? '' : url.slice(queryStart + 1),
    headers,
    body,
  };
}
