import type { RequestDecision } from '../requests';

/** An HTTP request as it arrived, with the raw pieces SigV4 verification needs. */
export interface IncomingRequest {
  method: string;
  /** Path exactly as on the wire (percent-encoding kept), without the query. */
  rawPath: string;
  /** Query exactly as on the wire, without '?'. */
  rawQuery: string;
  /** Header pairs in arrival order, names as sent, duplicates kept. */
  headerPairs: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased names; repeated headers joined with ',' as HTTP allows. */
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  /** The client's TCP port (to find which local process holds the connection). */
  sourcePort?: number;
  /** The TCP connection it came on, as an identity only: what is learnt about a connection is cached against it. */
  connection?: object;
  requestId: string;
  receivedAt: Date;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
  /** Why a service refused (never sent): recorded in the request log by the local cloud. */
  explanation?: Explanation;
}

/** What a refusing service knows about its refusal, for the request log. */
export interface Explanation {
  action: string;
  resource: string | null;
  principal: string | null;
  decision: RequestDecision;
}

/** The response with its explanation attached. */
export function explained(response: OutgoingResponse, explanation: Explanation): OutgoingResponse {
  response.explanation = explanation;
  return response;
}

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): OutgoingResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
