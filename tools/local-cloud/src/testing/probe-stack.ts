import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Stack } from '../cloudformation/deployer/stack';
import type { CloudFormationTemplate } from '../cloudformation/template';
import type { LocalCloud } from '../local-cloud';

/**
 * A function that answers by the last path segment: `slow` (5 s), `malformed` (not a proxy result), `throws`,
 * `clock` (the function's Date: now, new Date(), Date()),
 * `binary` (4 bytes, base64), `status-<code>` (that status), anything else echoes what API Gateway passed on.
 */
const PROBE_HANDLER = `
exports.handler = async (event) => {
  const mode = event.path.split('/').pop();
  if (mode === 'slow') return new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'late' }), 5000));
  if (mode === 'malformed') return { statusCode: 'not-a-number', body: { not: 'a string' } };
  if (mode === 'throws') throw new Error('boom');
  if (mode === 'clock') return { statusCode: 200, body: JSON.stringify({ now: Date.now(), date: new Date().toISOString(), dateCall: typeof Date() }) };
  if (mode === 'binary') return { statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 255, 1, 254]).toString('base64') };
  const status = /^status-(\\d{3})$/.exec(mode);
  const body = event.body === null ? null : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return {
    statusCode: status ? Number(status[1]) : 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      method: event.httpMethod,
      path: event.path,
      query: event.multiValueQueryStringParameters,
      contentType: event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? null,
      body: body === null ? null : body.toString('utf8'),
      bytes: body === null ? 0 : body.length,
      caller: event.requestContext.identity.userArn,
      apiKey: event.requestContext.identity.apiKey,
      apiKeyId: event.requestContext.identity.apiKeyId,
      authorizer: event.requestContext.authorizer,
    }),
  };
};
`;

/** A Lambda authorizer that allows every route of the API for any token (benchmarks: the gateway's own cost). */
export const ALLOW_API_AUTHORIZER = `
exports.handler = async (event) => ({
  principalId: 'bench',
  policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }] },
  context: { tenant: 'bench' },
});
`;

export interface ProbeStackOptions {
  stackName?: string;
  /** Stage name; `local` matches the seeded customer-reader role's policy. Default `test`. */
  stage?: string;
  /** Resource path under the root, `{proxy+}` style. Default `{proxy+}`. */
  basePath?: string;
  authorizationType?: 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS' | 'CUSTOM';
  /** For COGNITO_USER_POOLS: the authorizer's pools (ARNs), scopes and settings, as Serverless writes them. */
  cognito?: {
    providerArns: string[];
    scopes?: string[];
    identitySource?: string;
    identityValidationExpression?: string;
  };
  /**
   * For CUSTOM: a Lambda authorizer (function `<stackName>-authorizer`, its package `authorizer.zip`) as Serverless
   * writes it, with the AWS::Lambda::Permission for API Gateway unless `permission` is false.
   */
  lambdaAuthorizer?: {
    type?: 'TOKEN' | 'REQUEST';
    identitySource?: string;
    ttlSeconds?: number;
    identityValidationExpression?: string;
    timeoutSeconds?: number;
    permission?: boolean;
  };
  timeoutSeconds?: number;
  /** ApiKeyRequired on the method (Serverless `private: true`), and the API's ApiKeySourceType. */
  apiKeyRequired?: boolean;
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** Leave out the probe function's AWS::Lambda::Permission for API Gateway (a test of that check). */
  withoutInvokePermission?: boolean;
  /** The API's resource policy (`AWS::ApiGateway::RestApi` `Policy`). */
  resourcePolicy?: unknown;
  /** More resources for the template (e.g. an OPTIONS method on `Resource0`, the `{proxy+}` resource). */
  extraResources?: Record<string, unknown>;
  /** The function's `index.js`, when a test needs another handler than the probe's. */
  handlerSource?: string;
  /** The statements of the probe function's role (one inline policy); none by default. */
  roleStatements?: unknown[];
  /** The probe function's environment variables. */
  environment?: Record<string, unknown>;
}

/** The shape `serverless package` writes for one `http` event with a `{proxy+}` resource. */
export function probeStackTemplate(options: ProbeStackOptions = {}): CloudFormationTemplate {
  const stage = options.stage ?? 'test';
  const parts = (options.basePath ?? '').split('/').filter(Boolean);
  const resources: Record<string, unknown> = {};
  let parent: unknown = { 'Fn::GetAtt': ['Api', 'RootResourceId'] };
  [...parts, '{proxy+}'].forEach((pathPart, index) => {
    resources[`Resource${index}`] = {
      Type: 'AWS::ApiGateway::Resource',
      Properties: { ParentId: parent, PathPart: pathPart, RestApiId: { Ref: 'Api' } },
    };
    parent = { Ref: `Resource${index}` };
  });
  const uri = invocationsUri('ProbeFunction');
  return {
    Resources: {
      ...resources,
      ...options.extraResources,
      ProbeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: ['lambda.amazonaws.com'] },
                Action: ['sts:AssumeRole'],
              },
            ],
          },
          ...(options.roleStatements === undefined
            ? {}
            : {
                Policies: [
                  {
                    PolicyName: 'probe',
                    PolicyDocument: { Version: '2012-10-17', Statement: options.roleStatements },
                  },
                ],
              }),
        },
      },
      ProbeFunction: probeFunction(
        `${options.stackName ?? 'probe'}-fn`,
        'probe.zip',
        options.timeoutSeconds ?? 1,
        options.environment,
      ),
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: {
          Name: 'probe',
          BinaryMediaTypes: ['*/*'],
          ...(options.apiKeySource ? { ApiKeySourceType: options.apiKeySource } : {}),
          ...(options.resourcePolicy ? { Policy: options.resourcePolicy } : {}),
        },
      },
      ...(options.cognito
        ? {
            ProbeApiGatewayAuthorizer: {
              Type: 'AWS::ApiGateway::Authorizer',
              Properties: {
                Name: 'probe-users',
                Type: 'COGNITO_USER_POOLS',
                ProviderARNs: options.cognito.providerArns,
                IdentitySource: options.cognito.identitySource ?? 'method.request.header.Authorization',
                AuthorizerResultTtlInSeconds: 300,
                RestApiId: { Ref: 'Api' },
                ...(options.cognito.identityValidationExpression
                  ? { IdentityValidationExpression: options.cognito.identityValidationExpression }
                  : {}),
              },
            },
          }
        : {}),
      ...(options.lambdaAuthorizer ? lambdaAuthorizerResources(options) : {}),
      // What Serverless writes for every function behind an http event: API Gateway may invoke it for this API.
      ...(options.withoutInvokePermission
        ? {}
        : { ProbeLambdaPermissionApiGateway: apiGatewayPermission('ProbeFunction') }),
      ProxyMethod: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'ANY',
          AuthorizationType: options.authorizationType ?? 'NONE',
          ...(options.apiKeyRequired ? { ApiKeyRequired: true } : {}),
          ...(options.cognito
            ? {
                AuthorizerId: { Ref: 'ProbeApiGatewayAuthorizer' },
                ...(options.cognito.scopes ? { AuthorizationScopes: options.cognito.scopes } : {}),
              }
            : {}),
          ...(options.lambdaAuthorizer ? { AuthorizerId: { Ref: 'ProbeLambdaAuthorizer' } } : {}),
          ResourceId: parent,
          RestApiId: { Ref: 'Api' },
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: uri },
        },
      },
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { RestApiId: { Ref: 'Api' }, StageName: stage },
        DependsOn: ['ProxyMethod'],
      },
    },
    Outputs: {
      ServiceEndpoint: {
        Value: {
          'Fn::Join': ['', ['https://', { Ref: 'Api' }, `.execute-api.us-east-1.amazonaws.com/${stage}`]],
        },
      },
    },
  } as unknown as CloudFormationTemplate;
}

/** A function of the probe stack, its code the package `zip` (an `index.js`), run with the probe's role. */
function probeFunction(
  name: string,
  zip: string,
  timeoutSeconds: number,
  environment?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      ...(environment === undefined ? {} : { Environment: { Variables: environment } }),
      FunctionName: name,
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Timeout: timeoutSeconds,
      Code: { S3Bucket: 'unused', S3Key: zip },
      Role: { 'Fn::GetAtt': ['ProbeRole', 'Arn'] },
    },
  };
}

/** API Gateway's Lambda invocation URI of a function of the template (integrations and authorizers). */
function invocationsUri(functionLogicalId: string): Record<string, unknown> {
  return {
    'Fn::Join': [
      '',
      [
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/',
        { 'Fn::GetAtt': [functionLogicalId, 'Arn'] },
        '/invocations',
      ],
    ],
  };
}

/** The authorizer function, its AWS::ApiGateway::Authorizer and its permission, as Serverless names them. */
function lambdaAuthorizerResources(options: ProbeStackOptions): Record<string, unknown> {
  const settings = options.lambdaAuthorizer ?? {};
  const type = settings.type ?? 'TOKEN';
  return {
    AuthorizerFunction: probeFunction(
      `${options.stackName ?? 'probe'}-authorizer`,
      'authorizer.zip',
      settings.timeoutSeconds ?? 3,
    ),
    ProbeLambdaAuthorizer: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        Name: 'probe-authorizer',
        Type: type,
        AuthorizerUri: invocationsUri('AuthorizerFunction'),
        IdentitySource: settings.identitySource ?? 'method.request.header.Authorization',
        ...(settings.ttlSeconds === undefined ? {} : { AuthorizerResultTtlInSeconds: settings.ttlSeconds }),
        ...(settings.identityValidationExpression
          ? { IdentityValidationExpression: settings.identityValidationExpression }
          : {}),
        RestApiId: { Ref: 'Api' },
      },
    },
    ...(settings.permission === false
      ? {}
      : { AuthorizerLambdaPermissionApiGateway: apiGatewayPermission('AuthorizerFunction') }),
  };
}

/** `AWS::Lambda::Permission` for apigateway.amazonaws.com on the API's every stage and method (Serverless's). */
function apiGatewayPermission(functionLogicalId: string): Record<string, unknown> {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      FunctionName: { 'Fn::GetAtt': [functionLogicalId, 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': ['', ['arn:aws:execute-api:us-east-1:000000000000:', { Ref: 'Api' }, '/*/*']],
      },
    },
  };
}

/**
 * Deploys a template whose functions' packages are given as sources (`{ 'probe.zip': 'exports.handler = ...' }`,
 * each zipped as `index.js`): a real zip, a real deploy, each function in its own process.
 */
export async function deployWithSources(
  cloud: LocalCloud,
  stackName: string,
  template: CloudFormationTemplate,
  packages: Record<string, string>,
): Promise<Stack> {
  const artifactsDir = mkdtempSync(path.join(tmpdir(), 'probe-'));
  try {
    for (const [zipName, source] of Object.entries(packages))
      writeFileSync(path.join(artifactsDir, zipName), zipSync({ 'index.js': strToU8(source) }));
    return await cloud.deploy({ stackName, template, artifactsDir });
  } finally {
    rmSync(artifactsDir, { recursive: true, force: true });
  }
}

/**
 * Deploys the probe stack (tests, benchmarks). Returns the stage URL as the local cloud serves it
 * (`.../restapis/{id}/{stage}/_user_request_`).
 */
export async function deployProbeStack(
  cloud: LocalCloud,
  options: ProbeStackOptions = {},
  /** The authorizer function's `index.js` (with `lambdaAuthorizer`). */
  authorizerSource?: string,
): Promise<{ url: string; stack: Stack }> {
  const stack = await deployWithSources(cloud, options.stackName ?? 'probe', probeStackTemplate(options), {
    'probe.zip': options.handlerSource ?? PROBE_HANDLER,
    ...(authorizerSource === undefined ? {} : { 'authorizer.zip': authorizerSource }),
  });
  const url = stack.outputs.find((output) => output.key === 'ServiceEndpoint')?.value;
  if (typeof url !== 'string') throw new Error('The probe stack has no ServiceEndpoint output');
  return { url, stack };
}
