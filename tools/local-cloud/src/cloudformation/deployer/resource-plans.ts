import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CONTEXT_IDENTITIES,
  GATEWAY_RESPONSE_TYPES,
  type ApiMethod,
  type AuthorizationType,
  type Authorizer,
  type IdentitySource,
  type GatewayResponse,
  type MockIntegration,
} from '../../gateway';
import type { PolicyDocument } from '../../iam';
import { COGNITO_PLANNERS, type CognitoPlan } from './cognito-plans';
import { USAGE_PLAN_PLANNERS, type UsagePlanPlan } from './usage-plan-plans';
import { DeploymentError } from './errors';
import { validateEnvironment } from './lambda-environment';
import { validateFunctionName, validateRole } from './names';
import { deterministicId, generatedName } from './physical-ids';

/** What one resource becomes locally; applied only after every resource of the stack planned cleanly. */
export type PlannedResource =
  | {
      kind: 'role';
      name: string;
      path: string;
      arn: string;
      trustPolicy: PolicyDocument;
      policies: Array<{ name: string; document: PolicyDocument }>;
      maxSessionDurationSeconds: number;
    }
  | {
      kind: 'function';
      name: string;
      arn: string;
      handler: string;
      runtime: string;
      timeoutSeconds: number;
      memoryMb: number;
      environment: Record<string, string>;
      roleArn: string;
      zipFile: string;
    }
  | {
      kind: 'rest-api';
      id: string;
      name: string;
      policy?: PolicyDocument;
      binaryMediaTypes: string[];
      apiKeySource: 'HEADER' | 'AUTHORIZER';
    }
  | { kind: 'api-resource'; id: string; restApiId: string; parentId: string; pathPart: string }
  | { kind: 'api-method'; restApiId: string; resourceId: string; method: ApiMethod }
  | { kind: 'api-authorizer'; restApiId: string; authorizer: Authorizer }
  | { kind: 'gateway-response'; restApiId: string; response: GatewayResponse }
  | { kind: 'api-stage'; restApiId: string; stageName: string }
  | { kind: 'table'; name: string; definition: Record<string, unknown> }
  | {
      kind: 'lambda-permission';
      functionName: string;
      principal: string;
      action: string;
      sourceArn?: string;
      sourceAccount?: string;
    }
  | CognitoPlan
  | UsagePlanPlan
  | { kind: 'skipped'; reason: string };

export interface Planned {
  physicalId: string;
  attributes: Record<string, unknown>;
  plan: PlannedResource;
  /**
   * Settings deployed but not applied locally that do not widen access (a throttle, a cache): said in the log at
   * deploy, never silent. What would widen access is refused instead (`refuseUnenforced`).
   */
  notApplied?: string[];
}

export interface PlanContext {
  stackName: string;
  logicalId: string;
  accountId: string;
  region: string;
  artifactsDir: string;
  /** The client secret this cloud gives a Cognito app client id. */
  clientSecret: (clientId: string) => string;
  /** A secret derived from this cloud's seed for `label` (generated API key values). */
  generatedSecret: (label: string) => string;
}

type Props = Record<string, unknown>;
type Planner = (props: Props, ctx: PlanContext) => Planned;

function str(props: Props, key: string, ctx: PlanContext, fallback?: string): string {
  const value = props[key];
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  if (fallback !== undefined) return fallback;
  throw new DeploymentError(`${ctx.logicalId}: property ${key} is required`);
}

/** An optional string property; any other type is refused (a condition silently dropped would widen access). */
function optionalString(props: Props, key: string, ctx: PlanContext): string | undefined {
  const value = props[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new DeploymentError(`${ctx.logicalId}: property ${key} must be a string`);
  return value;
}

/**
 * Fails closed on settings that change who may do what but that the local cloud does not enforce: a deploy that
 * ignored them would let local calls through that AWS refuses. `unenforced` maps each such property to what to do.
 */
function refuseUnenforced(props: Props, ctx: PlanContext, unenforced: Record<string, string>): void {
  for (const [property, advice] of Object.entries(unenforced))
    if (props[property] !== undefined && props[property] !== false)
      throw new DeploymentError(
        `${ctx.logicalId}: ${property} is not enforced by the local cloud, so it refuses the resource rather than allow more than AWS would; ${advice}`,
      );
}

/**
 * A stage's throttles and caches: AWS applies them, the local cloud does not (usage plans' throttles are applied).
 * Locally that is more lenient, never more open: a request AWS would throttle or answer from cache is served.
 */
function stageSettingsNotApplied(props: Props): string[] {
  const notes: string[] = [];
  const settings = Array.isArray(props.MethodSettings) ? (props.MethodSettings as Props[]) : [];
  if (
    settings.some(
      (setting) => setting.ThrottlingRateLimit !== undefined || setting.ThrottlingBurstLimit !== undefined,
    )
  )
    notes.push('MethodSettings throttling (stage and method throttles are not applied; usage plans are)');
  if (settings.some((setting) => setting.CachingEnabled === true) || props.CacheClusterEnabled === true)
    notes.push('response caching (every request reaches the integration)');
  return notes;
}

function skipped(reason: string, physicalId: string, attributes: Record<string, unknown> = {}): Planned {
  return { physicalId, attributes, plan: { kind: 'skipped', reason } };
}

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function arn}/invocations` -> function name */
function functionNameFromUri(uri: string, ctx: PlanContext): string {
  const match = /functions\/arn:aws:lambda:[^:]+:\d+:function:([^/:]+)(?::[^/]+)?\/invocations$/.exec(uri);
  if (!match)
    throw new DeploymentError(`${ctx.logicalId}: integration URI ${uri} is not a Lambda proxy integration`);
  return match[1] as string;
}

/** `<prefix><Name>` with Name an HTTP header name (RFC 9110 token): API Gateway's header mapping expressions. */
function headerMapping(prefix: string, expression: string): RegExpExecArray | null {
  if (!expression.startsWith(prefix)) return null;
  return /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)$/.exec(expression.slice(prefix.length));
}

/** Headers about the message's framing: a gateway response may not set them. */
const FRAMING_HEADERS = [
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
];

/**
 * A MOCK integration as Serverless writes it for `cors: true` (osls lib/.../api-gateway/lib/cors.js): one
 * integration response with literal `method.response.header.*` values, and an empty template or Serverless's
 * template that echoes an allowed Origin. Anything else would be answered differently than on AWS: refused.
 */
function mockIntegration(integration: Props, ctx: PlanContext): MockIntegration {
  const responses = integration.IntegrationResponses;
  if (!Array.isArray(responses) || responses.length !== 1)
    throw new DeploymentError(
      `${ctx.logicalId}: a MOCK integration needs exactly one IntegrationResponse locally`,
    );
  const response = responses[0] as Props;
  const status = Number(response.StatusCode ?? 200);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    throw new DeploymentError(`${ctx.logicalId}: MOCK IntegrationResponse StatusCode must be an HTTP status`);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries((response.ResponseParameters ?? {}) as Record<string, unknown>)) {
    const name = headerMapping('method.response.header.', key)?.[1];
    const literal = typeof value === 'string' ? /^'(.*)'$/s.exec(value)?.[1] : undefined;
    if (!name || literal === undefined)
      throw new DeploymentError(
        `${ctx.logicalId}: MOCK ResponseParameters ${key}: only quoted literals are emulated`,
      );
    headers[name.toLowerCase()] = literal;
  }
  const template = ((response.ResponseTemplates ?? {}) as Record<string, unknown>)['application/json'];
  let originPatterns: string[] | undefined;
  if (typeof template === 'string' && template.trim() !== '') {
    const patterns = [...template.matchAll(/\$origin\.matches\("((?:[^"\\]|\\.)*)"\)/g)].map(
      (match) => `^(?:${match[1]})$`,
    );
    if (
      patterns.length === 0 ||
      !template.includes('$context.responseOverride.header.Access-Control-Allow-Origin = $origin')
    )
      throw new DeploymentError(
        `${ctx.logicalId}: MOCK ResponseTemplates: only Serverless's CORS origin template is emulated`,
      );
    originPatterns = patterns;
  }
  return { status, headers, ...(originPatterns ? { originPatterns } : {}) };
}

/** API Gateway stores `execute-api:/...` resource policy ARNs expanded to this API's own ARN. */
function expandExecuteApiArns(
  policy: PolicyDocument,
  region: string,
  accountId: string,
  apiId: string,
): PolicyDocument {
  const expand = (resource: unknown) =>
    typeof resource === 'string' && resource.startsWith('execute-api:/')
      ? `arn:aws:execute-api:${region}:${accountId}:${apiId}/${resource.slice('execute-api:/'.length)}`
      : resource;
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return {
    ...policy,
    Statement: statements.map((statement) => {
      const copy: Record<string, unknown> = { ...statement };
      for (const key of ['Resource', 'NotResource']) {
        const value = copy[key];
        if (value !== undefined) copy[key] = Array.isArray(value) ? value.map(expand) : expand(value);
      }
      return copy as unknown as typeof statement;
    }),
  };
}

/** RestApi ApiKeySourceType: HEADER (the default) or AUTHORIZER (a Lambda authorizer's usageIdentifierKey). */
function apiKeySourceOf(value: unknown, ctx: PlanContext): 'HEADER' | 'AUTHORIZER' {
  if (value === undefined || value === 'HEADER') return 'HEADER';
  if (value === 'AUTHORIZER') return 'AUTHORIZER';
  throw new DeploymentError(`${ctx.logicalId}: ApiKeySourceType must be HEADER or AUTHORIZER`);
}

const AUTHORIZATION_TYPES: readonly AuthorizationType[] = ['NONE', 'AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'];
const USER_POOL_ARN = /^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

function validRegex(expression: unknown, ctx: PlanContext): string | undefined {
  if (expression === undefined) return undefined;
  if (typeof expression !== 'string')
    throw new DeploymentError(`${ctx.logicalId}: IdentityValidationExpression must be a string`);
  try {
    new RegExp(expression);
  } catch {
    throw new DeploymentError(`${ctx.logicalId}: IdentityValidationExpression is not a regular expression`);
  }
  return expression;
}

/** One `IdentitySource` entry of a Lambda authorizer; what the local cloud cannot read is refused. */
function identitySource(expression: string, ctx: PlanContext): IdentitySource {
  const header = headerMapping('method.request.header.', expression)?.[1];
  if (header) return { kind: 'header', name: header.toLowerCase() };
  if (expression.startsWith('method.request.querystring.') && expression.length > 27)
    return { kind: 'querystring', name: expression.slice(27) };
  const context = expression.startsWith('context.') ? expression.slice(8) : undefined;
  if (context !== undefined && (CONTEXT_IDENTITIES as readonly string[]).includes(context))
    return { kind: 'context', name: context as (typeof CONTEXT_IDENTITIES)[number] };
  throw new DeploymentError(
    `${ctx.logicalId}: IdentitySource ${expression} is not emulated by the local cloud (headers, query strings and context.${CONTEXT_IDENTITIES.join(', context.')} are); refused so the authorizer is never keyed or checked differently than on AWS`,
  );
}

/**
 * A TOKEN or REQUEST authorizer (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-authorizer.html,
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html): a Lambda function of this cloud, called
 * with its resource-based permission (AuthorizerCredentials, a role API Gateway assumes, is refused: not emulated).
 */
function lambdaAuthorizer(
  props: Props,
  ctx: PlanContext,
  type: 'TOKEN' | 'REQUEST',
  restApiId: string,
): Planned {
  if (props.ProviderARNs !== undefined)
    throw new DeploymentError(`${ctx.logicalId}: ProviderARNs apply to COGNITO_USER_POOLS authorizers only`);
  if (props.AuthorizerCredentials !== undefined)
    throw new DeploymentError(
      `${ctx.logicalId}: AuthorizerCredentials (a role API Gateway assumes to call the authorizer) is not emulated; grant apigateway.amazonaws.com an AWS::Lambda::Permission instead (what Serverless writes)`,
    );
  const functionName = functionNameFromUri(str(props, 'AuthorizerUri', ctx), ctx);
  const rawTtl = props.AuthorizerResultTtlInSeconds;
  const ttlSeconds = rawTtl === undefined ? 300 : Number(rawTtl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > 3600)
    throw new DeploymentError(
      `${ctx.logicalId}: AuthorizerResultTtlInSeconds must be a whole number from 0 to 3600`,
    );
  const rawSource = optionalString(props, 'IdentitySource', ctx);
  const sources = (rawSource ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => identitySource(part, ctx));
  if (type === 'TOKEN' && (sources.length !== 1 || sources[0]?.kind !== 'header'))
    throw new DeploymentError(
      `${ctx.logicalId}: a TOKEN authorizer reads one header: IdentitySource method.request.header.<Name>`,
    );
  // "Required when authorization caching is enabled" for REQUEST (API_Authorizer.html).
  if (type === 'REQUEST' && ttlSeconds > 0 && sources.length === 0)
    throw new DeploymentError(
      `${ctx.logicalId}: a REQUEST authorizer with caching (AuthorizerResultTtlInSeconds > 0) needs an IdentitySource`,
    );
  // IdentityValidationExpression "does not apply to the REQUEST authorizer" (API_Authorizer.html): AWS ignores it.
  const validationExpression =
    type === 'TOKEN' ? validRegex(props.IdentityValidationExpression, ctx) : undefined;
  return authorizerPlanned(restApiId, props, ctx, {
    type,
    functionName,
    identitySources: sources,
    ttlSeconds,
    ...(validationExpression === undefined ? {} : { validationExpression }),
  });
}

/** An authorizer's plan: its id (Ref and `AuthorizerId`), name and settings. */
function authorizerPlanned(
  restApiId: string,
  props: Props,
  ctx: PlanContext,
  settings: DistributiveOmit<Authorizer, 'id' | 'name'>,
): Planned {
  const id = deterministicId(6, restApiId, ctx.logicalId);
  return {
    physicalId: id,
    attributes: { AuthorizerId: id },
    plan: {
      kind: 'api-authorizer',
      restApiId,
      authorizer: { ...settings, id, name: str(props, 'Name', ctx) } as Authorizer,
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const PLANNERS: Record<string, Planner> = {
  'AWS::IAM::Role': (props, ctx) => {
    const name = str(props, 'RoleName', ctx, generatedName(ctx.stackName, ctx.logicalId));
    const rolePath = str(props, 'Path', ctx, '/');
    const arn = `arn:aws:iam::${ctx.accountId}:role${rolePath}${name}`;
    if (Array.isArray(props.ManagedPolicyArns) && props.ManagedPolicyArns.length > 0) {
      throw new DeploymentError(
        `${ctx.logicalId}: ManagedPolicyArns are not supported by the local cloud yet; use inline Policies`,
      );
    }
    // A permissions boundary only ever takes permissions away: ignoring it would let local functions do what AWS
    // refuses (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
    if (props.PermissionsBoundary !== undefined) {
      throw new DeploymentError(
        `${ctx.logicalId}: PermissionsBoundary is not enforced by the local cloud, so it refuses the role rather than grant more than AWS would; deploy without the boundary locally (it only removes permissions)`,
      );
    }
    const policies = (
      (props.Policies as Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>) ?? []
    ).map((policy) => ({
      name: `role/${name} inline policy '${policy.PolicyName}'`,
      document: policy.PolicyDocument,
    }));
    return {
      physicalId: name,
      attributes: { Arn: arn, RoleId: `AROA${deterministicId(17, arn).toUpperCase()}` },
      plan: {
        kind: 'role',
        name,
        path: rolePath,
        arn,
        trustPolicy: props.AssumeRolePolicyDocument as PolicyDocument,
        policies,
        maxSessionDurationSeconds: validateRole(ctx.logicalId, name, props.MaxSessionDuration),
      },
    };
  },
  'AWS::Lambda::Function': (props, ctx) => {
    const name = validateFunctionName(
      ctx.logicalId,
      str(props, 'FunctionName', ctx, generatedName(ctx.stackName, ctx.logicalId)),
    );
    const arn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;
    const code = (props.Code ?? {}) as Props;
    const s3Key = str(code, 'S3Key', { ...ctx, logicalId: `${ctx.logicalId}.Code` });
    const zipFile = path.join(ctx.artifactsDir, path.basename(s3Key));
    if (!existsSync(zipFile)) {
      throw new DeploymentError(
        `${ctx.logicalId}: deployment package ${zipFile} not found (run serverless package first)`,
      );
    }
    const variables = ((props.Environment as Props | undefined)?.Variables ?? {}) as Record<string, unknown>;
    return {
      physicalId: name,
      attributes: { Arn: arn },
      plan: {
        kind: 'function',
        name,
        arn,
        handler: str(props, 'Handler', ctx),
        runtime: str(props, 'Runtime', ctx),
        timeoutSeconds: Number(props.Timeout ?? 3),
        memoryMb: Number(props.MemorySize ?? 128),
        environment: validateEnvironment(
          ctx.logicalId,
          Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
        ),
        roleArn: str(props, 'Role', ctx),
        zipFile,
      },
    };
  },
  'AWS::ApiGateway::RestApi': (props, ctx) => {
    refuseUnenforced(props, ctx, {
      DisableExecuteApiEndpoint:
        'the local cloud always serves the execute-api endpoint; deploy without it locally',
      Body: 'define the API with AWS::ApiGateway::Resource and Method resources (as the Serverless Framework does)',
      BodyS3Location: 'define the API with AWS::ApiGateway::Resource and Method resources',
      CloneFrom: 'define the API itself rather than cloning one',
    });
    const types = ((props.EndpointConfiguration ?? {}) as Props).Types;
    if (Array.isArray(types) && types.includes('PRIVATE'))
      throw new DeploymentError(
        `${ctx.logicalId}: a PRIVATE endpoint (reachable only from a VPC endpoint) is not enforced by the local cloud; use REGIONAL or EDGE locally`,
      );
    const id = deterministicId(10, ctx.accountId, ctx.region, ctx.stackName, ctx.logicalId);
    const policy = props.Policy as PolicyDocument | undefined;
    return {
      physicalId: id,
      attributes: { RootResourceId: deterministicId(10, id, '/') },
      plan: {
        kind: 'rest-api',
        id,
        name: str(props, 'Name', ctx, ctx.logicalId),
        policy: policy && expandExecuteApiArns(policy, ctx.region, ctx.accountId, id),
        binaryMediaTypes: (props.BinaryMediaTypes as string[] | undefined) ?? [],
        apiKeySource: apiKeySourceOf(props.ApiKeySourceType, ctx),
      },
    };
  },
  'AWS::ApiGateway::Resource': (props, ctx) => {
    const restApiId = str(props, 'RestApiId', ctx);
    const id = deterministicId(6, restApiId, ctx.logicalId);
    return {
      physicalId: id,
      attributes: { ResourceId: id },
      plan: {
        kind: 'api-resource',
        id,
        restApiId,
        parentId: str(props, 'ParentId', ctx),
        pathPart: str(props, 'PathPart', ctx),
      },
    };
  },
  'AWS::ApiGateway::Method': (props, ctx) => {
    const authorizationType = str(props, 'AuthorizationType', ctx, 'NONE').toUpperCase() as AuthorizationType;
    if (!AUTHORIZATION_TYPES.includes(authorizationType)) {
      throw new DeploymentError(
        `${ctx.logicalId}: AuthorizationType ${authorizationType} is not supported by the local cloud yet`,
      );
    }
    const integration = (props.Integration ?? {}) as Props;
    if (integration.Type !== 'AWS_PROXY' && integration.Type !== 'MOCK') {
      throw new DeploymentError(
        `${ctx.logicalId}: only Lambda proxy (AWS_PROXY) and CORS preflight (MOCK) integrations are supported, got ${String(integration.Type)}`,
      );
    }
    const mock = integration.Type === 'MOCK' ? mockIntegration(integration, ctx) : undefined;
    if (mock && authorizationType !== 'NONE')
      throw new DeploymentError(
        `${ctx.logicalId}: a MOCK integration behind ${authorizationType} is not emulated (only NONE)`,
      );
    const httpMethod = str(props, 'HttpMethod', ctx).toUpperCase();
    const scopes = props.AuthorizationScopes;
    if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string')))
      throw new DeploymentError(`${ctx.logicalId}: AuthorizationScopes must be a list of strings`);
    const withAuthorizer = authorizationType === 'COGNITO_USER_POOLS' || authorizationType === 'CUSTOM';
    if (withAuthorizer && typeof props.AuthorizerId !== 'string')
      throw new DeploymentError(
        `${ctx.logicalId}: AuthorizationType ${authorizationType} needs an AuthorizerId`,
      );
    // Fail closed: settings that would narrow access on AWS but mean nothing to this type are refused, not ignored.
    if ((scopes as string[] | undefined)?.some((scope) => scope.trim() === ''))
      throw new DeploymentError(`${ctx.logicalId}: AuthorizationScopes has an empty scope`);
    // Strictly true or false: any other spelling read as false would serve a key-required route without a key.
    const keyRequired = props.ApiKeyRequired;
    if (
      keyRequired !== undefined &&
      ![true, false, 'true', 'false'].includes(keyRequired as boolean | string)
    )
      throw new DeploymentError(`${ctx.logicalId}: ApiKeyRequired must be true or false`);
    const apiKeyRequired = keyRequired === true || keyRequired === 'true';
    if (apiKeyRequired && mock)
      throw new DeploymentError(`${ctx.logicalId}: ApiKeyRequired on a MOCK integration is not emulated`);
    // Access settings the local cloud does not enforce yet are refused, never ignored (a route served open).
    if (props.RequestValidatorId !== undefined)
      throw new DeploymentError(
        `${ctx.logicalId}: RequestValidatorId is not enforced by the local cloud yet`,
      );
    const required = Object.entries((props.RequestParameters ?? {}) as Record<string, unknown>).filter(
      ([, value]) => value === true || value === 'true',
    );
    if (required.length > 0)
      throw new DeploymentError(
        `${ctx.logicalId}: required RequestParameters (${required.map(([key]) => key).join(', ')}) are not enforced by the local cloud yet`,
      );
    if (authorizationType !== 'COGNITO_USER_POOLS' && ((scopes as string[] | undefined)?.length ?? 0) > 0)
      throw new DeploymentError(
        `${ctx.logicalId}: AuthorizationScopes apply to COGNITO_USER_POOLS methods only`,
      );
    if (!withAuthorizer && props.AuthorizerId !== undefined)
      throw new DeploymentError(
        `${ctx.logicalId}: AuthorizerId on an ${authorizationType} method: its authorizer would not run`,
      );
    return {
      physicalId: `${ctx.logicalId}`,
      attributes: {},
      plan: {
        kind: 'api-method',
        restApiId: str(props, 'RestApiId', ctx),
        resourceId: str(props, 'ResourceId', ctx),
        method: {
          httpMethod,
          authorizationType,
          ...(apiKeyRequired ? { apiKeyRequired } : {}),
          ...(authorizationType === 'COGNITO_USER_POOLS'
            ? {
                authorizerId: props.AuthorizerId as string,
                authorizationScopes: (scopes as string[] | undefined) ?? [],
              }
            : {}),
          ...(authorizationType === 'CUSTOM' ? { authorizerId: props.AuthorizerId as string } : {}),
          ...(mock ? { mock } : { functionName: functionNameFromUri(str(integration, 'Uri', ctx), ctx) }),
        },
      },
    };
  },
  'AWS::ApiGateway::Authorizer': (props, ctx) => {
    const restApiId = str(props, 'RestApiId', ctx);
    const type = str(props, 'Type', ctx);
    if (type === 'TOKEN' || type === 'REQUEST') return lambdaAuthorizer(props, ctx, type, restApiId);
    if (type !== 'COGNITO_USER_POOLS')
      throw new DeploymentError(
        `${ctx.logicalId}: authorizer Type ${type} is not one of TOKEN, REQUEST, COGNITO_USER_POOLS`,
      );
    if (props.AuthorizerCredentials !== undefined || props.AuthorizerUri !== undefined)
      throw new DeploymentError(
        `${ctx.logicalId}: AuthorizerCredentials and AuthorizerUri have no meaning for COGNITO_USER_POOLS`,
      );
    const arns = props.ProviderARNs;
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > 1000)
      throw new DeploymentError(`${ctx.logicalId}: ProviderARNs must list 1 to 1000 user pool ARNs`);
    const poolIds = arns.map((arn) => {
      const poolId = typeof arn === 'string' ? USER_POOL_ARN.exec(arn)?.[1] : undefined;
      if (!poolId)
        throw new DeploymentError(`${ctx.logicalId}: ProviderARNs: ${String(arn)} is not a user pool ARN`);
      return poolId;
    });
    const identitySource = str(props, 'IdentitySource', ctx);
    const header = headerMapping('method.request.header.', identitySource)?.[1];
    if (!header)
      throw new DeploymentError(
        `${ctx.logicalId}: IdentitySource ${identitySource}: a COGNITO_USER_POOLS authorizer reads one header, method.request.header.<Name>`,
      );
    return authorizerPlanned(restApiId, props, ctx, {
      type: 'COGNITO_USER_POOLS',
      providerArns: arns as string[],
      poolIds,
      identityHeader: header.toLowerCase(),
      validationExpression: validRegex(props.IdentityValidationExpression, ctx),
    });
  },
  'AWS::ApiGateway::GatewayResponse': (props, ctx) => {
    const type = str(props, 'ResponseType', ctx);
    if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type))
      throw new DeploymentError(`${ctx.logicalId}: ResponseType ${type} is not a gateway response type`);
    const statusText = props.StatusCode;
    if (statusText !== undefined && !/^[1-5]\d\d$/.test(String(statusText)))
      throw new DeploymentError(`${ctx.logicalId}: StatusCode must be an HTTP status`);
    const headers = Object.entries((props.ResponseParameters ?? {}) as Record<string, unknown>).map(
      ([key, value]) => {
        const name = headerMapping('gatewayresponse.header.', key)?.[1];
        const literal = typeof value === 'string' ? /^'(.*)'$/s.exec(value)?.[1] : undefined;
        const fromRequestHeader =
          typeof value === 'string' ? headerMapping('method.request.header.', value)?.[1] : undefined;
        if (name && FRAMING_HEADERS.includes(name.toLowerCase()))
          throw new DeploymentError(
            `${ctx.logicalId}: ResponseParameters ${key}: the gateway sets ${name} itself`,
          );
        if (!name || (literal === undefined && fromRequestHeader === undefined))
          throw new DeploymentError(
            `${ctx.logicalId}: ResponseParameters ${key}: the local cloud maps gatewayresponse.header.<Name> from a quoted literal or method.request.header.<Name> only`,
          );
        return { name: name.toLowerCase(), literal, fromRequestHeader: fromRequestHeader?.toLowerCase() };
      },
    );
    const templates = (props.ResponseTemplates ?? {}) as Record<string, unknown>;
    const unknownTypes = Object.keys(templates).filter((key) => key !== 'application/json');
    const template = templates['application/json'];
    if (unknownTypes.length > 0 || (template !== undefined && typeof template !== 'string'))
      throw new DeploymentError(
        `${ctx.logicalId}: ResponseTemplates: the local cloud renders an application/json template only`,
      );
    if (
      typeof template === 'string' &&
      /[#$]/.test(template.replace(/\$context\.error\.message(String)?/g, ''))
    )
      throw new DeploymentError(
        `${ctx.logicalId}: ResponseTemplates: only literal text, $context.error.message and $context.error.messageString are rendered locally`,
      );
    const restApiId = str(props, 'RestApiId', ctx);
    return {
      physicalId: deterministicId(6, restApiId, ctx.logicalId),
      attributes: {},
      plan: {
        kind: 'gateway-response',
        restApiId,
        response: {
          type,
          statusCode: statusText === undefined ? undefined : Number(statusText),
          headers,
          template: template as string | undefined,
        },
      },
    };
  },
  'AWS::ApiGateway::Deployment': (props, ctx) => {
    const restApiId = str(props, 'RestApiId', ctx);
    const stageName = typeof props.StageName === 'string' ? props.StageName : undefined;
    const id = deterministicId(6, restApiId, ctx.logicalId);
    return stageName
      ? { physicalId: id, attributes: {}, plan: { kind: 'api-stage', restApiId, stageName } }
      : skipped('deployment without a stage', id);
  },
  'AWS::ApiGateway::Stage': (props, ctx) => ({
    physicalId: str(props, 'StageName', ctx),
    attributes: {},
    plan: {
      kind: 'api-stage',
      restApiId: str(props, 'RestApiId', ctx),
      stageName: str(props, 'StageName', ctx),
    },
    notApplied: stageSettingsNotApplied(props),
  }),
  'AWS::DynamoDB::Table': (props, ctx) => {
    const name = str(props, 'TableName', ctx, generatedName(ctx.stackName, ctx.logicalId, 255));
    const definition: Props = {
      TableName: name,
      AttributeDefinitions: props.AttributeDefinitions,
      KeySchema: props.KeySchema,
      BillingMode: props.BillingMode ?? 'PROVISIONED',
      ...(props.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: props.GlobalSecondaryIndexes } : {}),
      ...(props.LocalSecondaryIndexes ? { LocalSecondaryIndexes: props.LocalSecondaryIndexes } : {}),
      ...(props.ProvisionedThroughput ? { ProvisionedThroughput: props.ProvisionedThroughput } : {}),
    };
    if (definition.BillingMode === 'PROVISIONED' && !definition.ProvisionedThroughput) {
      definition.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    }
    return {
      physicalId: name,
      attributes: {
        Arn: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`,
        StreamArn: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}/stream/1970-01-01T00:00:00.000`,
      },
      plan: { kind: 'table', name, definition },
    };
  },
  // Types with no local meaning: reported as skipped, but with the ids and attributes other resources refer to.
  'AWS::S3::Bucket': (props, ctx) => {
    const name = str(props, 'BucketName', ctx, generatedName(ctx.stackName, ctx.logicalId, 63).toLowerCase());
    return skipped('deployment artifacts are read from .serverless locally', name, {
      Arn: `arn:aws:s3:::${name}`,
    });
  },
  'AWS::S3::BucketPolicy': (_props, ctx) => skipped('no S3 locally', ctx.logicalId),
  // Monitoring, no access control: the metrics they read are recorded (GET with the AWS CLI: get-metric-statistics).
  'AWS::CloudWatch::Alarm': (props, ctx) =>
    skipped(
      'alarms are not evaluated locally; read their metric with aws cloudwatch get-metric-statistics',
      typeof props.AlarmName === 'string' ? props.AlarmName : ctx.logicalId,
      {
        Arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${String(props.AlarmName ?? ctx.logicalId)}`,
      },
    ),
  'AWS::CloudWatch::Dashboard': (props, ctx) =>
    skipped(
      'no CloudWatch console locally; the metrics it shows are readable with the CloudWatch API',
      typeof props.DashboardName === 'string' ? props.DashboardName : ctx.logicalId,
    ),
  'AWS::Logs::LogGroup': (props, ctx) => {
    const name = str(props, 'LogGroupName', ctx, ctx.logicalId);
    const reason = name.startsWith('/aws/api-gateway/')
      ? "API Gateway's access logs are in logs/access.jsonl and GET /_local/requests, each request with its decision"
      : 'function logs go to the local cloud output';
    return skipped(reason, name, {
      Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`,
    });
  },
  // A metric from log lines in a format the local cloud does not write: the same values are in the request log.
  'AWS::Logs::MetricFilter': (props, ctx) =>
    skipped(
      `metric filters are not applied locally (no CloudWatch Logs); the values they read, such as authorizerLatencyMs, are in logs/access.jsonl and GET /_local/requests`,
      typeof props.FilterName === 'string' ? props.FilterName : ctx.logicalId,
    ),
  'AWS::Lambda::Version': (props, ctx) => {
    const functionName = str(props, 'FunctionName', ctx);
    const arn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${functionName}:1`;
    return skipped('versions are not emulated; $LATEST runs', arn, { Version: '1' });
  },
  // Recorded and enforced where the invoking service checks it (Cognito triggers now; API Gateway: not yet).
  'AWS::Lambda::Permission': (props, ctx) => {
    refuseUnenforced(props, ctx, {
      PrincipalOrgID:
        'the local cloud models no AWS Organizations; scope the permission with SourceArn or SourceAccount',
      EventSourceToken: 'only AWS services invoke functions locally (API Gateway, Cognito)',
      FunctionUrlAuthType: 'function URLs are not emulated',
      InvokedViaFunctionUrl: 'function URLs are not emulated',
    });
    const target = str(props, 'FunctionName', ctx);
    const functionName = /(?:^|:function:)([\w-]+)(?::[\w$-]+)?$/.exec(target)?.[1];
    if (!functionName)
      throw new DeploymentError(`${ctx.logicalId}: FunctionName ${target} is not a function name or ARN`);
    const action = str(props, 'Action', ctx);
    if (action !== 'lambda:InvokeFunction')
      throw new DeploymentError(
        `${ctx.logicalId}: Action ${action}: the local cloud models lambda:InvokeFunction permissions only`,
      );
    return {
      physicalId: `${functionName}-${ctx.logicalId}`,
      attributes: {},
      plan: {
        kind: 'lambda-permission',
        functionName,
        action,
        principal: str(props, 'Principal', ctx),
        sourceArn: optionalString(props, 'SourceArn', ctx),
        sourceAccount: optionalString(props, 'SourceAccount', ctx),
      },
    };
  },
  ...COGNITO_PLANNERS,
  ...USAGE_PLAN_PLANNERS,
};
