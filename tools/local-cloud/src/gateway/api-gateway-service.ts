import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import type { IncomingRequest, OutgoingResponse } from '../http/incoming-request';
import { authorize, notAuthorizedMessage } from '../iam';
import type { Caller } from '../identity';
import type { LambdaService } from '../lambda';
import type { AccessLogEntry } from './access-log';
import { checkCognitoToken, type UserPoolDirectory } from './cognito-authorizer';
import { compiledPattern } from './compiled-patterns';
import { applyGatewayResponses, refusal, type GatewayResponseType } from './gateway-responses';
import { buildProxyEvent } from './proxy-event';
import { mapProxyResult } from './proxy-result';
import { routedPath } from './request-path';
import { matchRoute } from './routing';
import type { ApiMethod, RestApi } from './types';

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
}

/** `execute-api` URL of the local cloud: `/restapis/{apiId}/{stage}/_user_request_/{path}` */
export const EXECUTE_API_PATH = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;

interface Refused {
  response: OutgoingResponse;
  authError: string;
}

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

const missingToken = (): Refused => ({
  response: refusal('MISSING_AUTHENTICATION_TOKEN', 403, 'Missing Authentication Token', {
    'x-amzn-errortype': 'MissingAuthenticationTokenException',
  }),
  authError: 'Missing Authentication Token',
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

  public constructor(private readonly options: ApiGatewayServiceOptions) {}

  public put(api: RestApi): void {
    this.apis.set(api.id, api);
  }

  public remove(apiId: string): void {
    this.apis.delete(apiId);
  }

  public get(apiId: string): RestApi | undefined {
    return this.apis.get(apiId);
  }

  public list(): RestApi[] {
    return [...this.apis.values()];
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
    const api = this.apis.get(apiId);
    if (!api || !api.stages.has(stage)) {
      entry.authError = 'Missing Authentication Token';
      return missingToken().response;
    }
    const route = matchRoute(api, path, request.method);
    // API Gateway answers an unknown resource or method with 403 Missing Authentication Token, not 404.
    if (route === undefined || route === 'method-not-allowed') {
      entry.authError = 'Missing Authentication Token';
      return missingToken().response;
    }
    entry.resourcePath = route.resource.path;
    entry.authorizationType = route.method.authorizationType;
    if (requestLineAndHeaderBytes(request) > MAX_HEADER_BYTES) {
      return refusal('DEFAULT_4XX', 431, 'Request Header Fields Too Large');
    }
    if (request.body.length > MAX_REQUEST_BYTES) return payloadTooLarge();
    let caller: Caller | undefined;
    let authorizer: { claims: Record<string, string> } | undefined;
    if (route.method.authorizationType === 'COGNITO_USER_POOLS') {
      const outcome = await this.authorizeCognito(request, api, stage, path, route.method);
      if ('response' in outcome) {
        entry.authError = outcome.authError;
        entry.principal = outcome.principal ?? null;
        return outcome.response;
      }
      authorizer = { claims: outcome.claims };
      entry.principal = outcome.principal;
    }
    if (route.method.authorizationType === 'AWS_IAM') {
      const outcome = this.authorizeIam(request, api, stage, path);
      if ('response' in outcome) {
        entry.authError = outcome.authError;
        entry.principal = outcome.principal ?? null;
        return outcome.response;
      }
      caller = outcome.caller;
      entry.principal = caller.principal.arn;
    }
    if (route.method.authorizationType === 'NONE' && api.policy) {
      // "Resource policy only": an explicit Allow for the (anonymous) caller is needed (research notes F1.5).
      const denied = this.anonymousDenial(request, api, stage, path);
      if (denied) {
        entry.authError = denied.authError;
        return denied.response;
      }
    }
    if (route.method.mock) return mockAnswer(route.method.mock, request);
    if (!route.method.functionName) return refusal('DEFAULT_5XX', 500, 'Internal server error');
    const event = buildProxyEvent(request, api, stage, path, route, caller, authorizer);
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
  ): Promise<{ claims: Record<string, string>; principal: string } | (Refused & { principal?: string })> {
    const authorizer =
      method.authorizerId === undefined ? undefined : api.authorizers.get(method.authorizerId);
    if (!authorizer) {
      this.options.log(
        `500 ${request.method} ${path}: the method's authorizer ${method.authorizerId} does not exist`,
      );
      return {
        response: refusal('AUTHORIZER_CONFIGURATION_ERROR', 500, null, {
          'x-amzn-errortype': 'AuthorizerConfigurationException',
        }),
        authError: 'authorizer missing',
      };
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
      };
    }
    const principal = `cognito:${outcome.claims.sub}`;
    const denied = this.anonymousDenial(request, api, stage, path);
    if (denied) return { ...denied, principal };
    return { claims: outcome.claims, principal };
  }

  /**
   * The resource policy for a caller with no AWS identity (NONE, or after a Cognito token): it must explicitly
   * allow `anonymous` (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html).
   * Undefined when it does, or when the API has no resource policy.
   */
  private anonymousDenial(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
  ): Refused | undefined {
    if (!api.policy) return undefined;
    return this.decideInvoke(request, api, stage, path, {
      principal: { arn: 'anonymous', accountId: '', type: 'Anonymous' },
      identityPolicies: [],
    });
  }

  /**
   * `execute-api:Invoke` on the method ARN for `caller`, with the caller's policies and the API's resource policy:
   * undefined when allowed, else AWS's 403 naming the caller (logged with the deciding statement).
   */
  private decideInvoke(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
    caller: Pick<Caller, 'principal' | 'identityPolicies' | 'sessionPolicies'>,
  ): Refused | undefined {
    const methodArn = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.id}/${stage}/${request.method}${path}`;
    const decision = authorize({
      principal: caller.principal,
      action: 'execute-api:Invoke',
      resource: methodArn,
      resourceAccountId: api.accountId,
      identityPolicies: caller.identityPolicies,
      sessionPolicies: caller.sessionPolicies,
      resourcePolicy: api.policy
        ? { name: `resource policy of API ${api.id} (${api.name})`, document: api.policy }
        : undefined,
      context: {
        'aws:SourceIp': request.sourceIp,
        'aws:SecureTransport': false,
        'aws:CurrentTime': this.options.clock.now().toISOString(),
      },
    });
    if (decision.allowed) return undefined;
    const message = notAuthorizedMessage(caller.principal.arn, 'execute-api:Invoke', methodArn, decision);
    this.options.log(`403 ${request.method} ${path}: ${decision.explanation}`);
    return {
      response: refusal(
        'ACCESS_DENIED',
        403,
        message,
        { 'x-amzn-errortype': 'AccessDeniedException' },
        'Message',
      ),
      authError: message,
    };
  }

  private authorizeIam(
    request: IncomingRequest,
    api: RestApi,
    stage: string,
    path: string,
  ): { caller: Caller } | (Refused & { principal?: string }) {
    const authentication = this.options.authenticator.authenticate(request, 'execute-api');
    if (!authentication.ok) {
      const { error } = authentication;
      return {
        response: refusal(sigV4ResponseType(error.code), 403, error.message, {
          'x-amzn-errortype': `${error.code}Exception`,
        }),
        // The access log keeps the reason, never a signature (some messages quote the Authorization header).
        authError: (error.message.split('\n')[0] ?? error.message).replace(
          /Signature=[0-9a-fA-F]+/g,
          'Signature=…',
        ),
      };
    }
    const { caller } = authentication;
    const denied = this.decideInvoke(request, api, stage, path, caller);
    return denied ? { ...denied, principal: caller.principal.arn } : { caller };
  }
}
