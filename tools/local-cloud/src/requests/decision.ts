import type { DecidingStatement, Decision } from '../iam';

/**
 * Which check of the local cloud decided a request. Gateway: `routing` (no such API, stage, resource or method),
 * `limits` (header and payload sizes), `sigv4`, `iam` (the caller's policies and the API's resource policy),
 * `resource-policy` (alone, for callers without an AWS identity), `cognito-authorizer`, `lambda-authorizer`,
 * `api-key`, `usage-plan`, `lambda-permission` (may API Gateway invoke the integration), `none` (NONE methods).
 * Other services: `sigv4`, `iam`, `validation` (refused as the service would after authorization), `cognito`
 * (Cognito's own answers: wrong password, unknown user, ...).
 */
export type DecisionCheck =
  | 'routing'
  | 'limits'
  | 'sigv4'
  | 'iam'
  | 'resource-policy'
  | 'cognito-authorizer'
  | 'lambda-authorizer'
  | 'api-key'
  | 'usage-plan'
  | 'lambda-permission'
  | 'none'
  | 'validation'
  | 'cognito';

/**
 * Why a request was let through or refused, for people (callers only ever see AWS's bodies). Machine-readable:
 * `check` and `allowed` always; `statements` when the IAM engine decided (the policy and statement that allowed or
 * explicitly denied; none for an implicit deny); `claim` when a token's claim decided; `cached` for Lambda
 * authorizers (whether the answer was reused).
 */
export interface RequestDecision {
  check: DecisionCheck;
  allowed: boolean;
  /** The IAM engine's outcome, when it decided. */
  kind?: Decision['kind'];
  statements?: DecidingStatement[];
  claim?: string;
  cached?: boolean;
  detail: string;
}

/** The IAM engine's decision as a request's decision. */
export function iamDecision(check: 'iam' | 'resource-policy', decision: Decision): RequestDecision {
  return {
    check,
    allowed: decision.allowed,
    kind: decision.kind,
    statements: decision.decidedBy,
    detail: decision.explanation,
  };
}

export const refusedBy = (check: DecisionCheck, detail: string, extra: Partial<RequestDecision> = {}) =>
  ({ check, allowed: false, detail, ...extra }) satisfies RequestDecision;

/**
 * A refusal's message as the request log keeps it: its first line, with any signature cut out (SigV4 messages can
 * quote the Authorization header or the canonical request).
 */
export function loggableMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/Signature=[0-9a-fA-F]+/g, 'Signature=…');
}
