// Lambda authorizers for API Gateway that verify an OIDC IdP's JWTs and return cache-safe, API-wide policies.
export {
  createJwtAuthorizer,
  type JwtAuthorizerOptions,
  type TokenAuthorizerHandler,
} from './jwt-authorizer';
export {
  apiStageArn,
  policyForGroups,
  type AuthorizerPolicy,
  type GroupPermissions,
  type PolicyStatement,
  type Route,
} from './group-policy';
export { LoopbackOrHttpsFetcher } from './jwks-fetcher';
