import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyEventInput {
  httpMethod: string;
  resource: string;
  path: string;
  pathParameters?: Record<string, string>;
  body?: string | null;
  isBase64Encoded?: boolean;
  userArn?: string;
  headers?: Record<string, string>;
}

/**
 * A REST API (v1) proxy event as API Gateway builds it for an AWS_IAM method, for handler tests.
 * The shape follows https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
export function apiGatewayProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const userArn = input.userArn ?? 'arn:aws:iam::000000000000:user/developer';
  const accountId = userArn.split(':')[4] ?? null;
  return {
    resource: input.resource,
    path: input.path,
    httpMethod: input.httpMethod,
    headers: input.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'testapi',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: input.httpMethod,
      path: `/test${input.path}`,
      stage: 'test',
      requestId: 'test-request-id',
      requestTimeEpoch: 0,
      resourceId: 'testres',
      resourcePath: input.resource,
      identity: {
        accessKey: 'AKIAEXAMPLE',
        accountId,
        apiKey: null,
        apiKeyId: null,
        caller: 'AIDAEXAMPLE',
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: 'AIDAEXAMPLE',
        userAgent: 'jest',
        userArn,
      },
    },
  };
}

/** A fixed Lambda context, as Powertools' tests use. */
export const lambdaContext = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' };
