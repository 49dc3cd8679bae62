import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import type { IncomingRequest, OutgoingResponse } from '../http/incoming-request';
import { authorize, notAuthorizedMessage, type Decision } from '../iam';
import type { Caller } from '../identity';
import type { LambdaService } from '../lambda';
import { iamDecision, loggableMessage, refusedBy, type RequestDecision } from '../requests';
import type { AccessLogEntry } from './access-log';
import { checkCognitoToken, type UserPoolDirectory } from './cognito-authorizer';
import { compiledPattern } from './compiled-patterns';
import {
  AuthorizerCache,
  type CachedAuthorizerAnswer,
  evaluateAuthorizerPolicy,
  identityOf,
  parseAuthorizerResult,
  type AuthorizerResult,
} from './lambda-authorizer';
import { applyGatewayResponses, refusal, type GatewayResponseType } from './gateway-responses';
import { buildProxyEvent } from './proxy-event';
import { mapProxyResult } from './proxy-result';
import { routedPath } from './request-path';
import type { UsagePlanStore } from './usage-plans';
import { matchRoute, type RouteMatch } from './routing';
import type { ApiMethod, LambdaAuthorizer, RestApi } from './types';

/** API Gateway's payload limit (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/**
 * REST APIs: "Total combined size of request line and header values: 10240 bytes" (API Gateway quotas,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). The status for it is ours:
 * 431, HTTP's own for this (RFC 6585); node's server answers the same above its 16 KB.
 */
export const MAX_HEADER_BYTES = 10_240;

function requestLineAndHeaderBytes(request: IncomingRequest): number {
  let bytes = request.method.length + request.rawPath.length + request.rawQuery.length + 10;
  for (const [, value] of request.headerPairs) bytes += Buffer.byteLength(value);
  return bytes;
}

export interface ApiGatewayServiceOptions {
  authenticator: Authenticator;
  lambda: LambdaService;
  clock: Clock;
  accessLog: (entry: AccessLogEntry) => void;
  /** The user pools COGNITO_USER_POOLS authorizers check tokens against. */
  userPools: UserPoolDirectory;
  /** Why a request was refused, with the deciding policy statement: for people, never for the caller. */
  log: (line: string) => void;
  /** API keys and usage plans, with their counters. */
  usagePlans: UsagePlanStore;
}

/** `execute-api` URL of the local cloud: `/restapis/{apiId}/{stage}/_user_request_/{path}` */
export const EXECUTE_API_PATH = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;

interface Refused {
  response: OutgoingResponse;
  authError: string;
  decision: RequestDecision;
}

/** What a Lambda authorizer let through: the backend's `requestContext.authorizer` and the principal. */
interface LambdaAuthorized {
  authorizer: Record<string, string | number | null>;
  principal: string;
  usageIdentifierKey?: string;
}

/** A caller with no AWS identity (NONE, Cognito and Lambda authorizers), as the resource policy sees it. */
const ANONYMOUS: Pick<Caller, 'principal' | 'identityPolicies'> = {
  principal: { arn: 'anonymous', accountId: '', type: 'Anonymous' },
  identityPolicies: [],
};

const unauthorized = (authError: string, decision: RequestDecision): Refused => ({
  response: refusal('UNAUTHORIZED', 401, 'Unauthorized', { 'x-amzn-errortype': 'UnauthorizedException' }),
  authError,
  decision,
});

/** 403 AccessDeniedException: IAM and authorizer denials write `Message` (captures, research notes D3). */
const accessDenied = (message: string, decision: RequestDecision): Refused => ({
  response: refusal(
    'ACCESS_DENIED',
    403,
    message,
    { 'x-amzn-errortype': 'AccessDeniedException' },
    'Message',
  ),
  authError: message,
  decision,
});

/** 500 `{"message":null}`: how API Gateway answers any authorizer failure but `Unauthorized` (research notes D3). */
const authorizerConfigurationError = (authError: string, decision: RequestDecision): Refused => ({
  response: refusal('AUTHORIZER_CONFIGURATION_ERROR', 500, null, {
    'x-amzn-errortype': 'AuthorizerConfigurationException',
  }),
  authError,
  decision,
});

/** API Gateway's answer to a body over its 10 MB payload limit. */
export function payloadTooLarge(): OutgoingResponse {
  const message = `HTTP content length exceeded ${MAX_REQUEST_BYTES} bytes.`;
  const response: OutgoingResponse & { gatewayResponse: { type: GatewayResponseType; message: string } } = {
    status: 413,
    headers: { 'content-type': 'text; charset=utf-8' },
    body: message,
    gatewayResponse: { type: 'REQUEST_TOO_LARGE', message },
  };
  return response;
}

const missingToken = (): OutgoingResponse =>
  refusal('MISSING_AUTHENTICATION_TOKEN', 403, 'Missing Authentication Token', {
    'x-amzn-errortype': 'MissingAuthenticationTokenException',
  });

/** Which gateway response a SigV4 refusal is (supported-gateway-response-types). */
function sigV4ResponseType(code: string): GatewayResponseType {
  if (code === 'MissingAuthenticationToken') return 'MISSING_AUTHENTICATION_TOKEN';
  if (code === 'ExpiredToken' || code === 'SignatureExpired') return 'EXPIRED_TOKEN';
  return 'INVALID_SIGNATURE';
}

/**
 * REST APIs (v1) deployed from templates: routing, AWS_IAM authorization exactly as API Gateway does it
 * (SigV4, then the caller's identity policies and the API's resource policy), Lambda proxy integration.
 */
/** A MOCK integration's fixed answer (CORS preflight): no authorization, no function. */
function mockAnswer(mock: NonNullable<ApiMethod['mock']>, request: IncomingRequest): OutgoingResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...mock.headers };
  const origin = request.headers.origin;
  if (
    mock.originPatterns &&
    origin !== undefined &&
    mock.originPatterns.some((pattern) => compiledPattern(pattern).test(origin))
  )
    headers['access-control-allow-origin'] = origin;
  return { status: mock.status, headers, body: '' };
}

export class ApiGatewayService {
  private readonly apis = new Map<string, RestApi>();
  /** Lambda authorizers' answers, per API, stage, authorizer and identity, for each authorizer's TTL. */
  public readonly authorizerCache: AuthorizerCache;
  public readonly usagePlans: UsagePlanStore;

  public constructor(private readonly options: ApiGatewayServiceOptions) {
    this.authorizerCache = new AuthorizerCache(options.clock);
    this.usagePlans = options.usagePlans;
  }

  public put(api: RestApi): void {
    this.apis.set(api.id, api);
    this.authorizerCache.dropApi(api.id);
  }

  public remove(apiId: string): void {
    this.apis.delete(apiId);
    this.authorizerCache.dropApi(apiId);
  }

  public get(apiId: string): RestApi | undefined {
    return this.apis.get(apiId);
  }

  public list(): RestApi[] {
    return [...this.apis.values()];
  }

  /** A deployed API's name (the `ApiName` of its metrics) and account, if it is deployed with this stage. */
  public metricsOwnerOf(apiId: string, stage: string): { name: string; accountId: string } | undefined {
    const api = this.apis.get(apiId);
    return api?.stages.has(stage) ? { name: api.name, accountId: api.accountId } : undefined;
  }

  /** The Lambda authorizers' cached answers still live on the cloud's clock. */
  public cachedAuthorizerAnswers(): CachedAuthorizerAnswer[] {
    return this.authorizerCache.live();
  }

  /** Whether a request for this method and path would reach a function (known API, stage, resource, method). */
  public isRouted(apiId: string, stage: string, resourcePath: string, method: string): boolean {
    const api = this.apis.get(apiId);
    if (!api || !api.stages.has(stage)) return false;
    const route = matchRoute(api, routedPath(resourcePath), method);
    return route !== undefined && route !== 'method-not-allowed';
  }

  public async handle(
    request: IncomingRequest,
    apiId: string,
    stage: string,
    /** After `_user_request_`, in the form the signature covers (`normalizedPath` of the whole request path). */
    resourcePath: string,
  ): Promise<OutgoingResponse> {
    const started = performance.now();
    // One path for routing, the method ARN, the access log and the event.
    const path = routedPath(resourcePath);
    const entry: AccessLogEntry = {
      time: request.receivedAt.toISOString(),
      requestId: request.requestId,
      service: 'execute-api',
      apiId,
      stage,
      httpMethod: request.method,
      resourcePath: null,
      path,
      status: 0,
      authorizationType: null,
      principal: null,
      authError: null,
      latencyMs: 0,
      integrationLatencyMs: null,
      authorizerLatencyMs: null,
      apiKeyId: null,
      decision: null,
      sourceIp: request.sourceIp,
    };
    const response = applyGatewayResponses(
      this.apis.get(apiId),
      request,
      await this.route(request, apiId, stage, path, entry),
    );
    response.headers['x-amzn-requestid'] = request.requestId;
    entry.status = response.status;
    entry.latencyMs = Math.round((performance.now() - started) * 100) / 100;
    this.options.accessLog(entry);
    return response;
  }

  private async route(
    request: IncomingRequest,
    apiId: string,
    stage: string,
    path: string,
    entry: AccessLogEntry,
  ): Promise<OutgoingResponse> {
    // API Gateway answers an unknown API, stage, resource or method with 403 Missing Authentication Token, not
    // 404, signed or not (https://repost.aws/knowledge-center/api-gateway-authentication-token-errors): the caller
    // gets AWS's body, the local log says which of them does not exist.
    const noRoute = (detail: string) => {
      entry.authError = 'Missing Authentication Token';
      entry.decision = refusedBy('routing', detail);
      return missingToken();
    };
    const api = this.apis.get(apiId);
    if (!api) return noRoute(`no such route: no API ${apiId} is deployed`);
    if (!api.stages.has(stage)) return noRoute(`no such route: API ${apiId} has no stage ${stage}`);
    const route = matchRoute(api, path, request.method);
    if (route === undefined) return noRoute(`no such route: no resource of API ${apiId} matches ${path}`);
    if (route === 'method-not-allowed')
      return noRoute(`no such route: ${path} has no ${request.method} method (nor ANY)`);
    entry.resourcePath = route.resource.path;
    entry.authorizationType = route.method.authorizationType;
    if (requestLineAndHeaderBytes(request) > MAX_HEADER_BYTES) {
      entry.decision = refusedBy('limits', `request line and headers over ${MAX_HEADER_BYTES} bytes`);
      return refusal('DEFAULT_4XX', 431, 'Request Header Fields Too Large');
    }
    if (request.body.length > MAX_REQUEST_BYTES) {
      entry.decision = refusedBy('limits', `body over API Gateway's ${MAX_REQUEST_BYTES} bytes`);
      return payloadTooLarge();
    }
    let caller: Caller | undefined;
    let authorizer: Record<string, unknown> | undefined;
    let usageIdentifierKey: string | undefined;
    if (route.method.authorizationType === 'COGNITO_USER_POOLS') {
      const outcome = await this.authorizeCognito(request, api, stage, path, route.method);
      if ('response' in outcome) {
        entry.authError = outcome.authError;
        entry.decision = outcome.decision;
        entry.principal = outcome.principal ?? null;
        return outcome.response;
      }
      authorizer = { claims: outcome.claims };
      entry.principal = outcome.principal;
      entry.decision = outcome.decision;
    }
    if (route.method.authorizationType === 'CUSTOM') {
      const outcome = await this.authorizeLambda(request, api, stage, path, route, entry);
      if ('response' in outcome) {
        entry.authError = outcome.authError;
        entry.decision = outcome.decision;
        return outcome.response;
      }
      authorizer = outcome.authorizer;
      entry.principal = outcome.principal;
      usageIdentifierKey = outcome.usageIdentifierKey;
    }
    if (route.method.authorizationType === 'AWS_IAM') {
      const outcome = this.authorizeIam(request, api, stage, path);
      if ('response' in outcome) {
        entry.authError = outcome.authError;
        entry.decision = outcome.decision;
        entry.principal = outcome.principal ?? null;
        return outcome.response;
      }
      caller = outcome.caller;
      entry.principal = caller.principal.arn;
      entry.decision = outcome.decision;
    }
    if (route.method.authorizationType === 'NONE') {
      entry.decision = { check: 'none', allowed: true, detail: 'NONE: the method takes any caller' };
      // "Resource policy only": an explicit Allow for the (anonymous) caller is needed (research notes F1.5).
      const outcome = this.anonymousDecision(request, api, stage, path);
      if (outcome && 'response' in outcome) {
        entry.authError = outcome.authError;
        entry.decision = outcome.decision;
        return outcome.response;
      }
      if (outcome) entry.decision = outcome;
    }
    // API keys after authorization: a key identifies and meters a caller, it never lets one in (research notes F1.6).
    let apiKey: { id: string; value: string } | undefined;
    if (route.method.apiKeyRequired) {
      const metered = this.meter(request, api, stage, path, route, usageIdentifierKey, entry);
      if ('response' in metered) {
        entry.authError = metered.authError;
        entry.decision = metered.decision;
        return metered.response;
      }
      apiKey = metered;
    }
    if (route.method.mock) return mockAnswer(route.method.mock, request);
    if (!route.method.functionName) {
      entry.decision = refusedBy('lambda-permission', 'the method has no integration function');
      return refusal('DEFAULT_5XX', 500, 'Internal server error');
    }
    // API Gateway invokes the integration's function as apigateway.amazonaws.com for this method: without an
    // AWS::Lambda::Permission whose SourceArn matches, AWS answers 500 ("Invalid permissions on Lambda function",
    // https://repost.aws/knowledge-center/api-gateway-internal-server-error).
    const sourceArn = this.methodArn(api, stage, request.method, route.resource.path);
    if (
      !this.options.lambda.isInvocationAllowed(
        route.method.functionName,
        'apigateway.amazonaws.com',
        sourceArn,
        api.accountId,
      )
    ) {
      this.options.log(
        `500 ${request.method} ${path}: Execution failed due to configuration error: Invalid permissions on Lambda function (no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${route.method.functionName} for ${sourceArn})`,
      );
      entry.authError = 'Invalid permissions on Lambda function';
      entry.decision = refusedBy(
        'lambda-permission',
        `no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${route.method.functionName} for ${sourceArn}`,
      );
      // errorResponseType API_CONFIGURATION_ERROR in a real access log (sal-blog.com/iam-api-gateway-500error).
      return refusal('API_CONFIGURATION_ERROR', 500, 'Internal server error');
    }
    const event = buildProxyEvent(request, api, stage, path, route, caller, authorizer, apiKey);
    const integrationStarted = performance.now();
    const outcome = await this.options.lambda.invoke(route.method.functionName, event);
    entry.integrationLatencyMs = Math.round((performance.now() - integrationStarted) * 100) / 100;
    if (outcome.kind === 'timeout') {
      return refusal('INTEGRATION_TIMEOUT', 504, 'Endpoint request timed out');
    }
    if (outcome.kind === 'error') {
      this.options.log(
        `Lambda execution failed with status 200 due to customer function error: ${outcome.errorMessage}`,
      );
      return refusal('DEFAULT_5XX', 502, 'Internal server error');
    }
    const mapped = mapProxyResult(outcome.payload);
    if (!mapped) {
      this.options.log(
        `Execution failed due to configuration error: Malformed Lambda proxy response (${route.method.functionName})`,
      );
      return refusal('DEFAULT_5XX', 502, 'Internal server error');
    }
    return mapped;
  }

  /**
   * COGNITO_USER_POOLS: the token first (every failure the gateway's 401), then the resource policy on its own,
   * which must explicitly allow the (anonymous) caller: "If authentication is successful, the resource policy is
   * evaluated independently, and an explicit allow is required"
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html). The same
   * page's Table A would let a policy with only Deny statements pass; the prose is specific to Cognito and is
   * followed here (research notes F1).
   */
  private async authorizeCognito(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
    method: ApiMethod,
  ): Promise<
    | { claims: Record<string, string>; principal: string; decision: RequestDecision }
    | (Refused & { principal?: string })
  > {
    const authorizer =
      method.authorizerId === undefined ? undefined : api.authorizers.get(method.authorizerId);
    if (authorizer?.type !== 'COGNITO_USER_POOLS') {
      this.options.log(
        `500 ${request.method} ${path}: the method's authorizer ${method.authorizerId} is not a Cognito authorizer of this API`,
      );
      return authorizerConfigurationError(
        'authorizer missing',
        refusedBy(
          'cognito-authorizer',
          `authorizer ${method.authorizerId} is not a Cognito authorizer of this API`,
        ),
      );
    }
    const outcome = await checkCognitoToken(
      request,
      authorizer,
      method,
      this.options.userPools,
      this.options.clock.now(),
    );
    if (!outcome.ok) {
      this.options.log(`401 ${request.method} ${path}: authorizer ${authorizer.name}: ${outcome.reason}`);
      return {
        response: refusal(
          'UNAUTHORIZED',
          401,
          outcome.expired ? 'The incoming token has expired' : 'Unauthorized',
          {
            'x-amzn-errortype': 'UnauthorizedException',
          },
        ),
        authError: outcome.reason,
        decision: refusedBy('cognito-authorizer', `authorizer ${authorizer.name}: ${outcome.reason}`, {
          ...(outcome.claim === undefined ? {} : { claim: outcome.claim }),
        }),
      };
    }
    const principal = `cognito:${outcome.claims.sub}`;
    const resource = this.anonymousDecision(request, api, stage, path);
    if (resource && 'response' in resource) return { ...resource, principal };
    return {
      claims: outcome.claims,
      principal,
      decision: resource ?? {
        check: 'cognito-authorizer',
        allowed: true,
        detail: `authorizer ${authorizer.name}: a valid ${outcome.claims.token_use} token of ${outcome.claims.iss?.split('/').pop()}`,
      },
    };
  }

  /**
   * The resource policy for a caller with no AWS identity (NONE, or after a Cognito token): it must explicitly
   * allow `anonymous` (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html).
   * Undefined when the API has no resource policy; the refusal, or the policy's allowing decision.
   */
  private anonymousDecision(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
  ): Refused | RequestDecision | undefined {
    if (!api.policy) return undefined;
    return this.decideInvoke(request, api, stage, path, ANONYMOUS, 'resource-policy');
  }

  /**
   * An ApiKeyRequired method's key (the `x-api-key` header, or the Lambda authorizer's `usageIdentifierKey` when the
   * API's key source is AUTHORIZER), checked against the usage plans: 403 Forbidden for a missing, unknown,
   * disabled or unplanned key; 429 for the plan's quota (Limit Exceeded) or throttle (Too Many Requests).
   */
  private meter(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
    route: RouteMatch,
    usageIdentifierKey: string | undefined,
    entry: AccessLogEntry,
  ): { id: string; value: string } | Refused {
    const value = api.apiKeySource === 'AUTHORIZER' ? usageIdentifierKey : request.headers['x-api-key'];
    const outcome = this.usagePlans.check(
      api.id,
      stage,
      route.resource.path,
      route.method.httpMethod,
      value,
      this.options.clock.nowMs(),
    );
    entry.apiKeyId = outcome.key?.id ?? null;
    if (outcome.ok) return { id: outcome.key.id, value: outcome.key.value };
    const source = api.apiKeySource === 'AUTHORIZER' ? "the authorizer's usageIdentifierKey" : 'x-api-key';
    if (outcome.kind === 'forbidden') {
      this.options.log(`403 ${request.method} ${path}: ${outcome.reason} (${source})`);
      return {
        response: refusal('INVALID_API_KEY', 403, 'Forbidden', { 'x-amzn-errortype': 'ForbiddenException' }),
        authError: outcome.reason,
        decision: refusedBy('api-key', `${outcome.reason} (${source})`),
      };
    }
    this.options.log(`429 ${request.method} ${path}: ${outcome.reason}`);
    const decision = refusedBy('usage-plan', `${outcome.reason} (key ${outcome.key?.id ?? '?'})`);
    return outcome.kind === 'quota'
      ? {
          response: refusal('QUOTA_EXCEEDED', 429, 'Limit Exceeded', {
            'x-amzn-errortype': 'LimitExceededException',
          }),
          authError: outcome.reason,
          decision,
        }
      : {
          response: refusal('THROTTLED', 429, 'Too Many Requests', {
            'x-amzn-errortype': 'TooManyRequestsException',
          }),
          authError: outcome.reason,
          decision,
        };
  }

  private methodArn(api: RestApi, stage: string, method: string, path: string): string {
    return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.id}/${stage}/${method}${path}`;
  }

  /** The IAM engine's decision on `execute-api:Invoke` of the method ARN for `caller` and the resource policy. */
  private invokeDecision(
    request: IncomingRequest,
    api: RestApi,
    methodArn: string,
    caller: Pick<Caller, 'principal' | 'identityPolicies' | 'sessionPolicies'>,
  ): Decision {
    return authorize({
      principal: caller.principal,
      action: 'execute-api:Invoke',
      resource: methodArn,
      resourceAccountId: api.accountId,
      identityPolicies: caller.identityPolicies,
      sessionPolicies: caller.sessionPolicies,
      resourcePolicy: api.policy
        ? { name: `resource policy of API ${api.id} (${api.name})`, document: api.policy }
        : undefined,
      context: this.conditionContext(request),
      now: this.options.clock.now(),
    });
  }

  private conditionContext(request: IncomingRequest): Record<string, string | boolean> {
    return {
      'aws:SourceIp': request.sourceIp,
      'aws:SecureTransport': false,
    };
  }

  /** AWS's 403 for a denied `execute-api:Invoke`, naming the caller (logged with the deciding statement). */
  private invokeDenied(
    request: IncomingRequest,
    path: string,
    principalArn: string,
    methodArn: string,
    decision: Decision,
    check: 'iam' | 'resource-policy',
  ): Refused {
    const message = notAuthorizedMessage(principalArn, 'execute-api:Invoke', methodArn, decision);
    this.options.log(`403 ${request.method} ${path}: ${decision.explanation}`);
    return accessDenied(message, iamDecision(check, decision));
  }

  /**
   * `execute-api:Invoke` on the method ARN for `caller`, with the caller's policies and the API's resource policy:
   * the allowing decision, else AWS's 403 naming the caller.
   */
  private decideInvoke(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
    caller: Pick<Caller, 'principal' | 'identityPolicies' | 'sessionPolicies'>,
    check: 'iam' | 'resource-policy',
  ): Refused | RequestDecision {
    const methodArn = this.methodArn(api, stage, request.method, path);
    const decision = this.invokeDecision(request, api, methodArn, caller);
    if (decision.allowed) return iamDecision(check, decision);
    return this.invokeDenied(request, path, caller.principal.arn, methodArn, decision, check);
  }

  /**
   * CUSTOM (Lambda TOKEN or REQUEST authorizer), in API Gateway's order (research notes D, F1.2): the resource
   * policy's explicit denies first; the identity sources (missing or empty: 401, the function is not called); the
   * cached answer for this identity, else the function, if its resource-based policy lets API Gateway invoke it
   * for this authorizer; then the answer's policy for THIS request's method ARN (cached or not), combined with
   * the resource policy as Table A says for one account: an explicit Deny in either refuses, an Allow in either
   * lets through.
   */
  private async authorizeLambda(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
    route: RouteMatch,
    entry: AccessLogEntry,
  ): Promise<LambdaAuthorized | Refused> {
    const configured =
      route.method.authorizerId === undefined ? undefined : api.authorizers.get(route.method.authorizerId);
    if (!configured || configured.type === 'COGNITO_USER_POOLS') {
      this.options.log(
        `500 ${request.method} ${path}: the method's authorizer ${route.method.authorizerId} is not a Lambda authorizer of this API`,
      );
      return authorizerConfigurationError(
        'authorizer missing',
        refusedBy(
          'lambda-authorizer',
          `authorizer ${route.method.authorizerId} is not a Lambda authorizer of this API`,
        ),
      );
    }
    const authorizer: LambdaAuthorizer = configured;
    const methodArn = this.methodArn(api, stage, request.method, path);
    const resourceDecision = api.policy ? this.invokeDecision(request, api, methodArn, ANONYMOUS) : undefined;
    if (resourceDecision?.kind === 'ExplicitDeny')
      return this.invokeDenied(request, path, 'anonymous', methodArn, resourceDecision, 'resource-policy');
    const identity = identityOf(request, authorizer, {
      stage,
      path,
      resourcePath: route.resource.path,
    });
    const label = `authorizer ${authorizer.name}`;
    if ('missing' in identity) {
      this.options.log(`401 ${request.method} ${path}: ${label}: ${identity.missing} (function not called)`);
      return unauthorized(
        identity.missing,
        refusedBy('lambda-authorizer', `${label}: ${identity.missing} (function not called)`),
      );
    }
    const cacheKey = AuthorizerCache.key(api.id, stage, authorizer.id, identity.key);
    let result: AuthorizerResult | undefined =
      authorizer.ttlSeconds > 0 ? this.authorizerCache.get(cacheKey) : undefined;
    const cached = result !== undefined;
    let latencyMs = 0;
    if (!result) {
      const generation = this.authorizerCache.generation(api.id);
      const invoked = await this.invokeAuthorizer(
        request,
        api,
        stage,
        path,
        route,
        authorizer,
        methodArn,
        identity.token,
        entry,
      );
      latencyMs = entry.authorizerLatencyMs ?? 0;
      if ('response' in invoked) return invoked;
      result = invoked;
      this.authorizerCache.set(cacheKey, result, authorizer.ttlSeconds, api.id, generation);
    } else {
      entry.authorizerLatencyMs = 0;
    }
    const decision = evaluateAuthorizerPolicy(
      result,
      authorizer,
      methodArn,
      api.accountId,
      this.conditionContext(request),
      this.options.clock.now(),
    );
    const allowed =
      decision.kind !== 'ExplicitDeny' && (decision.allowed || resourceDecision?.allowed === true);
    const how = cached ? 'cached' : `fresh, ${latencyMs} ms`;
    this.options.log(
      `${allowed ? 'allow' : '403'} ${request.method} ${path}: ${label} (${how}) principalId ${result.principalId}: ${decision.explanation}` +
        (!decision.allowed && resourceDecision?.allowed
          ? `; allowed by the resource policy instead (${resourceDecision.explanation})`
          : '') +
        (cached ? '' : `; policy returned: ${JSON.stringify(result.policy)}`),
    );
    entry.decision = {
      check: 'lambda-authorizer',
      allowed,
      cached,
      kind: decision.kind,
      statements: decision.decidedBy,
      detail: `${label} (${cached ? 'cached' : 'fresh'}) principalId ${result.principalId}: ${decision.explanation}`,
    };
    if (allowed && !decision.allowed && resourceDecision)
      entry.decision = iamDecision('resource-policy', resourceDecision);
    entry.principal = result.principalId;
    if (!allowed) {
      // The authorizer's own 403 bodies: real captures write `Message` (research notes D3).
      const message =
        decision.kind === 'ExplicitDeny'
          ? 'User is not authorized to access this resource with an explicit deny'
          : 'User is not authorized to access this resource';
      return accessDenied(message, entry.decision);
    }
    return {
      authorizer: { ...result.context, principalId: result.principalId, integrationLatency: latencyMs },
      principal: result.principalId,
      ...(result.usageIdentifierKey === undefined ? {} : { usageIdentifierKey: result.usageIdentifierKey }),
    };
  }

  /** Calls the authorizer's function with the TOKEN or REQUEST event; its checked answer or the refusal. */
  private async invokeAuthorizer(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
    route: RouteMatch,
    authorizer: LambdaAuthorizer,
    methodArn: string,
    token: string | undefined,
    entry: AccessLogEntry,
  ): Promise<AuthorizerResult | Refused> {
    const label = `authorizer ${authorizer.name}`;
    const fail = (why: string) => {
      this.options.log(`500 ${request.method} ${path}: ${label}: ${why}`);
      return authorizerConfigurationError(
        why,
        refusedBy('lambda-authorizer', `${label}: ${why}`, { cached: false }),
      );
    };
    // API Gateway invokes the function as apigateway.amazonaws.com for this authorizer: the function's
    // resource-based policy must allow it (Serverless writes the AWS::Lambda::Permission), else AWS's 500.
    const sourceArn = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.id}/authorizers/${authorizer.id}`;
    if (!this.options.lambda.get(authorizer.functionName))
      return fail(`function ${authorizer.functionName} does not exist`);
    if (
      !this.options.lambda.isInvocationAllowed(
        authorizer.functionName,
        'apigateway.amazonaws.com',
        sourceArn,
        api.accountId,
      )
    )
      return fail(
        `Invalid permissions on Lambda function: no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${authorizer.functionName} for ${sourceArn}`,
      );
    let event: Record<string, unknown>;
    if (authorizer.type === 'TOKEN') {
      event = { type: 'TOKEN', authorizationToken: token, methodArn };
    } else {
      const proxy = buildProxyEvent(request, api, stage, path, route, undefined);
      const { authorizer: _none, ...requestContext } = proxy.requestContext;
      event = {
        type: 'REQUEST',
        methodArn,
        resource: proxy.resource,
        path: proxy.path,
        httpMethod: proxy.httpMethod,
        headers: proxy.headers,
        multiValueHeaders: proxy.multiValueHeaders,
        queryStringParameters: proxy.queryStringParameters ?? {},
        multiValueQueryStringParameters: proxy.multiValueQueryStringParameters ?? {},
        pathParameters: proxy.pathParameters ?? {},
        stageVariables: {},
        requestContext,
      };
    }
    const started = performance.now();
    const outcome = await this.options.lambda.invoke(authorizer.functionName, event);
    // Set only when the function ran: the access log's sign that it was called.
    entry.authorizerLatencyMs = Math.round(performance.now() - started);
    if (outcome.kind === 'timeout') return fail('the function timed out');
    if (outcome.kind === 'error') {
      // `throw new Error('Unauthorized')` (or the string, or callback('Unauthorized')): AWS's 401 (D3).
      if (outcome.errorMessage === 'Unauthorized') {
        this.options.log(`401 ${request.method} ${path}: ${label}: the function answered Unauthorized`);
        return unauthorized(
          'the authorizer answered Unauthorized',
          refusedBy('lambda-authorizer', `${label}: the function answered Unauthorized`, { cached: false }),
        );
      }
      return fail(`the function failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    }
    const parsed = parseAuthorizerResult(outcome.payload);
    return typeof parsed === 'string' ? fail(`malformed answer: ${parsed}`) : parsed;
  }

  private authorizeIam(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
  ): { caller: Caller; decision: RequestDecision } | (Refused & { principal?: string }) {
    const authentication = this.options.authenticator.authenticate(request, 'execute-api');
    if (!authentication.ok) {
      const { error } = authentication;
      // The access log keeps the reason, never a signature (some messages quote the Authorization header).
      const reason = loggableMessage(error.message);
      return {
        response: refusal(sigV4ResponseType(error.code), 403, error.message, {
          'x-amzn-errortype': `${error.code}Exception`,
        }),
        authError: reason,
        decision: refusedBy('sigv4', `${error.code}: ${reason}`),
      };
    }
    const { caller } = authentication;
    const decided = this.decideInvoke(request, api, stage, path, caller, 'iam');
    return 'response' in decided
      ? { ...decided, principal: caller.principal.arn }
      : { caller, decision: decided };
  }
}
