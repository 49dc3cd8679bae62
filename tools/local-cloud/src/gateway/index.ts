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
export { UsagePlanStore, type UsageOutcome } from './usage-plans';
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
