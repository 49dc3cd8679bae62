import type { RequestDecision } from '../requests';

/** One line of `.local-cloud/logs/access.jsonl` (fields fixed by the local cloud contract in DESIGN.md). */
export interface AccessLogEntry {
  time: string;
  requestId: string;
  service: 'execute-api';
  apiId: string;
  stage: string;
  httpMethod: string;
  resourcePath: string | null;
  path: string;
  status: number;
  authorizationType: string | null;
  principal: string | null;
  authError: string | null;
  latencyMs: number;
  integrationLatencyMs: number | null;
  /** A Lambda authorizer's latency: the function's round trip, 0 for a cached answer, null when none ran. */
  authorizerLatencyMs: number | null;
  /** The API key's id on ApiKeyRequired methods (also when the key was refused for its plan). */
  apiKeyId: string | null;
  /** Which check let the request through or refused it, and why (for people, never the caller). */
  decision: RequestDecision | null;
  sourceIp: string;
}
