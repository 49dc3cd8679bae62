import type { PolicyDocument } from '../iam';

export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS';

/** An `AWS::ApiGateway::Authorizer` of type COGNITO_USER_POOLS. */
export interface CognitoAuthorizer {
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
  /** COGNITO_USER_POOLS: the authorizer, and the method's AuthorizationScopes (none: an ID token is required). */
  authorizerId?: string;
  authorizationScopes?: string[];
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
  stages: Set<string>;
  resources: Map<string, ApiResource>;
  authorizers: Map<string, CognitoAuthorizer>;
  /** By ResponseType. */
  gatewayResponses: Map<string, GatewayResponse>;
}
