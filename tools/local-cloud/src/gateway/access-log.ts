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
  sourceIp: string;
}
