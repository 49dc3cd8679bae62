import type { PolicyDocument } from '../iam';

export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS' | 'CUSTOM';

/** An `AWS::ApiGateway::Authorizer` of type COGNITO_USER_POOLS. */
export interface CognitoAuthorizer {
  type: 'COGNITO_USER_POOLS';
  id: string;
  name: string;
  /** The user pools whose tokens it accepts: their ARNs (ProviderARNs) and ids, index for index. */
  providerArns: string[];
  poolIds: string[];
  /** Lower-cased header name of `method.request.header.<Name>`. */
  identityHeader: string;
  /** IdentityValidationExpression, matched against the token's `aud`. */
  validationExpression?: string;
}

/**
 * Where a Lambda authorizer's identity comes from (`IdentitySource`): a header, a query-string parameter or a
 * `$context` variable (https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html).
 */
export type IdentitySource =
  | { kind: 'header'; name: string }
  | { kind: 'querystring'; name: string }
  | { kind: 'context'; name: ContextIdentity };

/** The `$context` variables a REQUEST authorizer may key on locally. */
export const CONTEXT_IDENTITIES = [
  'identity.sourceIp',
  'identity.userAgent',
  'httpMethod',
  'resourcePath',
  'path',
  'stage',
] as const;
export type ContextIdentity = (typeof CONTEXT_IDENTITIES)[number];

/** An `AWS::ApiGateway::Authorizer` of type TOKEN or REQUEST: a Lambda function decides, its answer cached. */
export interface LambdaAuthorizer {
  type: 'TOKEN' | 'REQUEST';
  id: string;
  name: string;
  functionName: string;
  /** TOKEN: exactly one header. REQUEST: every source must be present and non-empty; together the cache key. */
  identitySources: IdentitySource[];
  /** TOKEN only: the token must match it wholly, or 401 without invoking the function. */
  validationExpression?: string;
  /** AuthorizerResultTtlInSeconds: 0 = no caching; default 300, at most 3600. */
  ttlSeconds: number;
}

export type Authorizer = CognitoAuthorizer | LambdaAuthorizer;

/** An `AWS::ApiGateway::GatewayResponse`: how one type of the gateway's own refusals is answered. */
export interface GatewayResponse {
  type: string;
  statusCode?: number;
  headers: Array<{ name: string; literal?: string; fromRequestHeader?: string }>;
  /** The `application/json` template (literal text, `$context.error.message`, `$context.error.messageString`). */
  template?: string;
}

/** A MOCK integration as Serverless writes it for `cors: true`: a fixed answer, no function. */
export interface MockIntegration {
  status: number;
  headers: Record<string, string>;
  /** Serverless's template for several origins: Access-Control-Allow-Origin echoes an Origin matching one. */
  originPatterns?: string[];
}

export interface ApiMethod {
  httpMethod: string;
  authorizationType: AuthorizationType;
  /**
   * COGNITO_USER_POOLS and CUSTOM: the authorizer; COGNITO_USER_POOLS: the method's AuthorizationScopes (none: an
   * ID token is required).
   */
  authorizerId?: string;
  authorizationScopes?: string[];
  /** ApiKeyRequired (Serverless `private: true`): an API key of a usage plan for this API and stage. */
  apiKeyRequired?: boolean;
  /** AWS_PROXY integration with a Lambda function of the local cloud. */
  functionName?: string;
  /** Or a MOCK integration (CORS preflight). */
  mock?: MockIntegration;
}

export interface ApiResource {
  id: string;
  parentId?: string;
  pathPart: string;
  /** Full path, e.g. `/customers/{id}`; computed when the API is published. */
  path: string;
  methods: Map<string, ApiMethod>;
}

export interface RestApi {
  id: string;
  name: string;
  stackName: string;
  accountId: string;
  region: string;
  /** Resource policy with `execute-api:/` already expanded to this API's ARN, as API Gateway stores it. */
  policy?: PolicyDocument;
  binaryMediaTypes: string[];
  /** ApiKeySourceType: the `x-api-key` header, or a Lambda authorizer's `usageIdentifierKey`. */
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  stages: Set<string>;
  resources: Map<string, ApiResource>;
  authorizers: Map<string, Authorizer>;
  /** By ResponseType. */
  gatewayResponses: Map<string, GatewayResponse>;
}

/** ThrottleSettings: a token bucket of `burstLimit` tokens refilled at `rateLimit` per second. */
export interface ThrottleSettings {
  burstLimit: number;
  rateLimit: number;
}

/** QuotaSettings: `limit` requests per UTC calendar period; `offset` fewer in the first one. */
export interface QuotaSettings {
  limit: number;
  offset: number;
  period: 'DAY' | 'WEEK' | 'MONTH';
}

/** An `AWS::ApiGateway::ApiKey`. */
export interface ApiKey {
  id: string;
  name: string;
  value: string;
  enabled: boolean;
  description?: string;
  customerId?: string;
  createdDate: string;
  /** Set by update-api-key. */
  lastUpdatedDate?: string;
}

/** An `AWS::ApiGateway::UsagePlan` with the keys its `UsagePlanKey`s attach. */
export interface UsagePlan {
  id: string;
  name: string;
  description?: string;
  /** The API stages it meters; `throttle` by `/resource/path/METHOD` overrides the plan's for that method. */
  apiStages: Array<{ apiId: string; stage: string; throttle: Record<string, ThrottleSettings> }>;
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  keyIds: string[];
  /** When the plan was first deployed (ms): the quota's "initial time period" is the one holding it. */
  createdMs: number;
}
