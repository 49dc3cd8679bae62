import { hash } from 'node:crypto';
import type { Clock } from '../clock/clock';
import type { IncomingRequest } from '../http/incoming-request';
import {
  authorize,
  validatePolicyDocument,
  type ContextValue,
  type Decision,
  type PolicyDocument,
} from '../iam';
import { compiledPattern } from './compiled-patterns';
import type { ContextIdentity, LambdaAuthorizer } from './types';

// API Gateway's Lambda (TOKEN and REQUEST) authorizers, as research notes D (../shared/research/
// api-gateway-authorizers.md) sum up the docs and captures:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html

/** A Lambda authorizer's answer, checked: what the cache keeps and the backend's event carries (D2). */
export interface AuthorizerResult {
  principalId: string;
  policy: PolicyDocument;
  /** As API Gateway passes them on: numbers and booleans as strings, `null` kept, `undefined` dropped. */
  context: Record<string, string | null>;
  /** The API key of the caller when the API's key source is AUTHORIZER. */
  usageIdentifierKey?: string;
}

/** The values of `$context` a REQUEST authorizer may use as identity sources. */
export interface RequestContextValues {
  stage: string;
  resourcePath: string;
  path: string;
}

function contextValue(
  name: ContextIdentity,
  request: IncomingRequest,
  values: RequestContextValues,
): string | undefined {
  switch (name) {
    case 'identity.sourceIp':
      return request.sourceIp;
    case 'identity.userAgent':
      return request.headers['user-agent'];
    case 'httpMethod':
      return request.method;
    case 'resourcePath':
      return values.resourcePath;
    case 'path':
      return `/${values.stage}${values.path}`;
    case 'stage':
      return values.stage;
  }
}

function lastQueryValue(rawQuery: string, name: string): string | undefined {
  const all = new URLSearchParams(rawQuery).getAll(name);
  return all.at(-1);
}

/**
 * The request's identity for this authorizer: TOKEN's header value (the whole of it, `Bearer ` included), or every
 * REQUEST source's value. Missing or empty -> `missing` (API Gateway answers 401 without calling the function);
 * a TOKEN that does not match IdentityValidationExpression likewise (API_Authorizer.html). `key` is the cache key.
 */
export function identityOf(
  request: IncomingRequest,
  authorizer: LambdaAuthorizer,
  values: RequestContextValues,
): { token?: string; key: string } | { missing: string } {
  const found: string[] = [];
  for (const source of authorizer.identitySources) {
    const value =
      source.kind === 'header'
        ? request.headers[source.name]
        : source.kind === 'querystring'
          ? lastQueryValue(request.rawQuery, source.name)
          : contextValue(source.name, request, values);
    if (value === undefined || value === '')
      return { missing: `identity source ${describeSource(source)} is missing or empty` };
    found.push(value);
  }
  if (authorizer.type === 'REQUEST') return { key: JSON.stringify(found) };
  const token = found[0] ?? '';
  if (
    authorizer.validationExpression !== undefined &&
    !compiledPattern(`^(?:${authorizer.validationExpression})$`).test(token)
  )
    return { missing: 'the token does not match the IdentityValidationExpression' };
  return { token, key: token };
}

function describeSource(source: LambdaAuthorizer['identitySources'][number]): string {
  if (source.kind === 'header') return `method.request.header.${source.name}`;
  if (source.kind === 'querystring') return `method.request.querystring.${source.name}`;
  return `context.${source.name}`;
}

/**
 * Checks what the function returned (D2): `principalId`, a `policyDocument` that is an IAM policy, `context` of
 * strings, numbers, booleans or null (an object or array value is AWS's 500), an optional `usageIdentifierKey`.
 * A problem is a string, for the local log: the caller only ever sees the 500.
 */
export function parseAuthorizerResult(payload: unknown): AuthorizerResult | string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    return 'the authorizer returned no object';
  const answer = payload as Record<string, unknown>;
  if (typeof answer.principalId !== 'string' && typeof answer.principalId !== 'number')
    return 'the answer has no principalId';
  const document = answer.policyDocument;
  const problems = validatePolicyDocument(document, 'identity');
  if (problems.length > 0) return `the policyDocument is not a valid policy: ${problems.join('; ')}`;
  const context: Record<string, string | null> = {};
  if (answer.context !== undefined && answer.context !== null) {
    if (typeof answer.context !== 'object' || Array.isArray(answer.context))
      return 'context is not an object';
    for (const [key, value] of Object.entries(answer.context as Record<string, unknown>)) {
      if (value === undefined) continue;
      if (value === null) context[key] = null;
      else if (typeof value === 'string') context[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') context[key] = String(value);
      else
        return `context.${key} is ${Array.isArray(value) ? 'an array' : 'an object'}: only strings, numbers and booleans are allowed`;
    }
  }
  const key = answer.usageIdentifierKey;
  if (key !== undefined && typeof key !== 'string') return 'usageIdentifierKey is not a string';
  return {
    principalId: String(answer.principalId),
    policy: document as PolicyDocument,
    context,
    ...(key === undefined ? {} : { usageIdentifierKey: key }),
  };
}

interface CacheEntry {
  result: AuthorizerResult;
  storedAtMs: number;
  ttlMs: number;
}

/**
 * Authorizer results by API, stage, authorizer and identity, for the authorizer's TTL on the local cloud's clock.
 * Policies are cached as returned and evaluated again for every request's method ARN, as API Gateway does: a
 * policy that allows only the first route denies the next one within the TTL (research notes D4). Only answers
 * are cached: `Unauthorized`, errors and timeouts are not.
 */
export class AuthorizerCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Bumped when an API is redeployed or removed: an answer that was being fetched meanwhile is not kept. */
  private readonly generations = new Map<string, number>();

  public constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  /** The identity by its SHA-256: entries stay small (a token can be 10 KB) and hold no token text. */
  public static key(apiId: string, stage: string, authorizerId: string, identity: string): string {
    // One-shot (node >= 20.12): a third of createHash's cost for a short string, on every request.
    const digest = hash('sha256', identity, 'base64url');
    return `${apiId}\u0000${stage}\u0000${authorizerId}\u0000${digest}`;
  }

  /** The API's deployment generation, to pass to `set` after an invocation. */
  public generation(apiId: string): number {
    return this.generations.get(apiId) ?? 0;
  }

  public get(key: string): AuthorizerResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Outside [stored, stored + TTL): expired, or the clock was moved back past when it was stored.
    const age = this.clock.nowMs() - entry.storedAtMs;
    if (age < 0 || age >= entry.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.result;
  }

  public set(
    key: string,
    result: AuthorizerResult,
    ttlSeconds: number,
    apiId: string,
    generation: number,
  ): void {
    if (ttlSeconds <= 0 || generation !== this.generation(apiId)) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { result, storedAtMs: this.clock.nowMs(), ttlMs: ttlSeconds * 1000 });
  }

  /** Forgets an API's entries (redeployed or removed: API Gateway's cache belongs to the deployment). */
  public dropApi(apiId: string): void {
    this.generations.set(apiId, this.generation(apiId) + 1);
    const prefix = `${apiId}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  public get size(): number {
    return this.entries.size;
  }

  /** The live entries (what the console shows): whose answer, for how long still; never the identity. */
  public live(): CachedAuthorizerAnswer[] {
    const now = this.clock.nowMs();
    const live: CachedAuthorizerAnswer[] = [];
    for (const [key, entry] of this.entries) {
      const age = now - entry.storedAtMs;
      if (age < 0 || age >= entry.ttlMs) continue;
      const [apiId = '', stage = '', authorizerId = ''] = key.split('\u0000');
      live.push({
        apiId,
        stage,
        authorizerId,
        principalId: entry.result.principalId,
        ttlSeconds: entry.ttlMs / 1000,
        expiresInSeconds: Math.ceil((entry.ttlMs - age) / 1000),
      });
    }
    return live;
  }
}

export interface CachedAuthorizerAnswer {
  apiId: string;
  stage: string;
  authorizerId: string;
  principalId: string;
  ttlSeconds: number;
  expiresInSeconds: number;
}

/**
 * The authorizer's policy for this request's method ARN, with the IAM engine (the same wildcard and condition
 * rules as every other policy of the local cloud). A cached answer without conditions or variables is decided once
 * per method ARN: the engine remembers decisions on context-free policies.
 */
export function evaluateAuthorizerPolicy(
  result: AuthorizerResult,
  authorizer: LambdaAuthorizer,
  methodArn: string,
  accountId: string,
  context: Record<string, ContextValue>,
  now: Date,
): Decision {
  return authorize({
    principal: { arn: `principalId ${result.principalId}`, accountId, type: 'User' },
    action: 'execute-api:Invoke',
    resource: methodArn,
    resourceAccountId: accountId,
    identityPolicies: [
      { name: `the policy authorizer ${authorizer.name} returned`, document: result.policy },
    ],
    context,
    now,
  });
}
