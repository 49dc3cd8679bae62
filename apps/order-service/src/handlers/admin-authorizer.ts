import { createJwtAuthorizer } from '@sigv4-auth/jwt-authorizer';
import { STAFF_PERMISSIONS } from '../auth/staff';
import { logger, requiredEnv } from '../config';

/**
 * `adminAuthorizer`: API Gateway's TOKEN authorizer for the `/admin` routes. Staff tokens of the company's OIDC IdP
 * (locally the local cloud's, on AWS Okta or Entra ID: STAFF_ISSUER, STAFF_AUDIENCE, STAFF_JWKS_URI, STAFF_SCOPE from
 * the service's params), mapped to one API-wide policy per caller, which API Gateway caches 300 s by token.
 */
export const handler = createJwtAuthorizer({
  issuer: requiredEnv('STAFF_ISSUER'),
  audience: requiredEnv('STAFF_AUDIENCE'),
  jwksUri: requiredEnv('STAFF_JWKS_URI'),
  scope: requiredEnv('STAFF_SCOPE'),
  permissions: STAFF_PERMISSIONS,
  logger: logger.child({ function: 'adminAuthorizer' }),
});
