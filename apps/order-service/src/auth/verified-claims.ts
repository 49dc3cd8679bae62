import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MissingVerifiedClaimsError } from '../errors';

/** The scope a partner's access token needs for `GET /partner/orders/{id}` (identity-service's resource server). */
export const ORDERS_READ_SCOPE = 'orders-api/orders.read';

/** A shop user, as the Cognito authorizer verified their ID token. */
export interface EndUser {
  /** The user's id in the pool, a UUID: their customer id and the owner of their orders. */
  sub: string;
}

/** A partner system, as the Cognito authorizer verified its client_credentials access token. */
export interface PartnerClient {
  clientId: string;
  scopes: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The claims API Gateway's COGNITO_USER_POOLS authorizer verified (`requestContext.authorizer.claims`, every
 * value a string). The only source of identity: never the body, never a header, which the caller controls.
 */
function verifiedClaimsOf(event: APIGatewayProxyEvent): Record<string, unknown> {
  const claims: unknown = event.requestContext?.authorizer?.claims;
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
    throw new MissingVerifiedClaimsError(
      `${event.httpMethod} ${event.resource} was reached without requestContext.authorizer.claims: the method must use the user pool's COGNITO_USER_POOLS authorizer`,
    );
  return claims as Record<string, unknown>;
}

/**
 * The signed-in user of a `/me` route. The method takes ID tokens only (an authorizer without scopes); an access
 * token's claims here would mean the method was given scopes, and a client_credentials token's `sub` is a client
 * id, not a user: refused rather than read as one.
 */
export function endUserOf(event: APIGatewayProxyEvent): EndUser {
  const claims = verifiedClaimsOf(event);
  const { sub, token_use: tokenUse } = claims;
  if (tokenUse !== 'id' || typeof sub !== 'string' || !UUID.test(sub))
    throw new MissingVerifiedClaimsError(
      `${event.httpMethod} ${event.resource} needs the verified claims of an ID token with a UUID sub, got token_use ${String(tokenUse)}: the method's authorizer must have no scopes`,
    );
  return { sub };
}

/** The partner system of a `/partner` route: an access token granted `ORDERS_READ_SCOPE`. */
export function partnerOf(event: APIGatewayProxyEvent): PartnerClient {
  const claims = verifiedClaimsOf(event);
  const { client_id: clientId, token_use: tokenUse, scope } = claims;
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  if (tokenUse !== 'access' || typeof clientId !== 'string' || !scopes.includes(ORDERS_READ_SCOPE))
    throw new MissingVerifiedClaimsError(
      `${event.httpMethod} ${event.resource} needs the verified claims of an access token with scope ${ORDERS_READ_SCOPE}, got token_use ${String(tokenUse)}: the method's authorizer must require that scope`,
    );
  return { clientId, scopes };
}
