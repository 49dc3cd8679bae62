/** One line of `.local-cloud/logs/access.jsonl` (fields fixed by the local cloud contract in DESIGN.md). */
export interface AccessLogEntry {
  time: string;
  requestId: string;
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
  /** Which check decided (for people, never the caller): `cached` says whether an authorizer answer was reused. */
  decision: { check: string; cached?: boolean; detail: string } | null;
  sourceIp: string;
}
