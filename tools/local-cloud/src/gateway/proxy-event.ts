import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../identity';
import type { IncomingRequest } from '../http/incoming-request';
import type { RouteMatch } from './routing';
import type { RestApi } from './types';

function isBinary(api: RestApi, contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return api.binaryMediaTypes.some((pattern) => {
    const [major, minor] = pattern.toLowerCase().split('/');
    const [typeMajor, typeMinor] = type.split('/');
    return (major === '*' || major === typeMajor) && (minor === '*' || minor === typeMinor);
  });
}

function queryParameters(rawQuery: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) (result[key] ??= []).push(value);
  return result;
}

/**
 * The REST API (v1) Lambda proxy event, field for field as API Gateway builds it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format).
 * For AWS_IAM methods `requestContext.identity` carries the verified caller: accessKey, accountId,
 * caller/user (`AIDA...` for users, `AROA...:session` for roles) and userArn.
 */
export function buildProxyEvent(
  request: IncomingRequest,
  api: RestApi,
  stage: string,
  path: string,
  route: RouteMatch,
  caller: Caller | undefined,
  /**
   * COGNITO_USER_POOLS: `{ claims }` as the authorizer verified them; CUSTOM: the Lambda authorizer's context with
   * `principalId` and `integrationLatency`.
   */
  authorizer?: Record<string, unknown>,
  /** ApiKeyRequired methods: the caller's key ("For methods that don't require an API key, this variable is null"). */
  apiKey?: { id: string; value: string },
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headerPairs) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const multiValueQuery = queryParameters(request.rawQuery);
  const hasQuery = Object.keys(multiValueQuery).length > 0;
  const binary = isBinary(api, request.headers['content-type']);
  const hasBody = request.body.length > 0;
  return {
    resource: route.resource.path,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery
      ? Object.fromEntries(
          Object.entries(multiValueQuery).map(([key, values]) => [key, values.at(-1) as string]),
        )
      : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: route.pathParameters,
    stageVariables: null,
    body: hasBody ? request.body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: binary && hasBody,
    requestContext: {
      resourceId: route.resource.id,
      resourcePath: route.resource.path,
      httpMethod: request.method,
      extendedRequestId: request.requestId,
      requestTime: request.receivedAt.toUTCString(),
      path: `/${stage}${path}`,
      accountId: api.accountId,
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: request.headers.host?.split('.')[0] ?? '',
      requestTimeEpoch: request.receivedAt.getTime(),
      requestId: request.requestId,
      domainName: request.headers.host ?? '',
      apiId: api.id,
      authorizer: (authorizer ?? null) as APIGatewayProxyEvent['requestContext']['authorizer'],
      identity: {
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        apiKey: apiKey?.value ?? null,
        apiKeyId: apiKey?.id ?? null,
        principalOrgId: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        clientCert: null,
        accountId: caller?.principal.accountId ?? null,
        caller: caller?.callerId ?? null,
        user: caller?.callerId ?? null,
        userArn: caller?.principal.arn ?? null,
        accessKey: caller?.accessKeyId ?? null,
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? null,
      },
    },
  };
}
