export type { AccessLogEntry } from './access-log';
export {
  ApiGatewayService,
  EXECUTE_API_PATH,
  MAX_REQUEST_BYTES,
  payloadTooLarge,
  type ApiGatewayServiceOptions,
} from './api-gateway-service';
export { GATEWAY_RESPONSE_TYPES } from './gateway-responses';
export { CONTEXT_IDENTITIES } from './types';
export { UsagePlanStore, type UsageOutcome, type UsagePlanCounters } from './usage-plans';
export type { CachedAuthorizerAnswer } from './lambda-authorizer';
export { ApiGatewayManagement } from './management-api';
export type {
  ApiKey,
  QuotaSettings,
  ThrottleSettings,
  UsagePlan,
  ApiMethod,
  ApiResource,
  AuthorizationType,
  Authorizer,
  CognitoAuthorizer,
  IdentitySource,
  LambdaAuthorizer,
  GatewayResponse,
  MockIntegration,
  RestApi,
} from './types';
