import { createLogger, type Logger } from '@sigv4-auth/lambda-http';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksValidationError, JwtBaseError } from 'aws-jwt-verify/error';

/** A token without `exp`: refused like any bad token (an Unauthorized), not a 500. */
class JwtWithoutExpiryError extends JwtBaseError {}
import { SimpleJwksCache, type JwksCache } from 'aws-jwt-verify/jwk';
import { apiStageArn, policyForGroups, type GroupPermissions } from './group-policy';
import { LoopbackOrHttpsFetcher } from './jwks-fetcher';

export interface JwtAuthorizerOptions {
  /** The IdP's issuer, exactly as its tokens' `iss` (Okta: `https://<org>.okta.com/oauth2/default`). */
  issuer: string;
  /** The API's audience (`aud`) in the IdP (Okta: `api://default`; Entra: the app's `api://<client id>`). */
  audience: string | string[];
  /** The IdP's JWKS (its discovery document's `jwks_uri`). */
  jwksUri: string;
  /**
   * A scope the token must hold (any of them, when several). Set it: an audience such as Okta's `api://default`
   * is shared by every app of that authorization server, and the scope is what says a token is for this API.
   */
  scope?: string | string[];
  /** The claim with the caller's groups (a list of names). Default `groups` (Okta; Entra sends `groups` or `roles`). */
  groupsClaim?: string;
  /** Which routes each group may call; every listed route is denied to the callers of other groups. */
  permissions: GroupPermissions;
  logger?: Logger;
  /** Where keys are cached (default: aws-jwt-verify's cache, fetched once per key id per container). */
  jwksCache?: JwksCache;
}

export type TokenAuthorizerHandler = (
  event: APIGatewayTokenAuthorizerEvent,
) => Promise<APIGatewayAuthorizerResult>;

/** API Gateway answers 401 when a Lambda authorizer fails with exactly this message. */
const UNAUTHORIZED = 'Unauthorized';
const BEARER_JWT = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** A problem with the token (the caller's), not with the IdP or the network (ours: a 500, never cached). */
function isTokenProblem(error: unknown): boolean {
  return (
    error instanceof JwtBaseError && !(error instanceof FetchError) && !(error instanceof JwksValidationError)
  );
}

function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return [];
}

/**
 * A Lambda TOKEN authorizer for JWTs of any OIDC IdP (Okta, Entra ID, Auth0, Keycloak, the local cloud's): the
 * `Authorization: Bearer <jwt>` header verified with aws-jwt-verify (signature against the IdP's JWKS, cached;
 * issuer, audience, expiry, optional scope), then an API-wide policy from the caller's groups. The policy is the
 * same for every route, so API Gateway's result cache (keyed by the token, 300 s by default) can never replay a
 * decision made for another route. Any bad token ends in `Error('Unauthorized')` (API Gateway's 401) with the
 * reason in the structured log; an unreachable IdP is an ordinary error (a 500, which API Gateway does not cache).
 *
 * The context API Gateway passes to the backend (`event.requestContext.authorizer`): `sub`, `email` (when the
 * token has one) and `groups` as one string, a JSON list (context values must be strings; JSON keeps a group
 * name with a comma whole); `principalId` is `sub`.
 *
 * @example
 * export const handler = createJwtAuthorizer({
 *   issuer: process.env.STAFF_ISSUER!,
 *   audience: process.env.STAFF_AUDIENCE!,
 *   jwksUri: process.env.STAFF_JWKS_URI!,
 *   scope: 'orders.staff',
 *   permissions: {
 *     support: ['GET /admin/orders', 'GET /admin/orders/*'],
 *     admin: ['GET /admin/orders', 'GET /admin/orders/*', 'DELETE /admin/orders/*'],
 *   },
 * });
 */
export function createJwtAuthorizer(options: JwtAuthorizerOptions): TokenAuthorizerHandler {
  const logger = options.logger ?? createLogger({ service: 'jwt-authorizer' });
  const groupsClaim = options.groupsClaim ?? 'groups';
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      audience: options.audience,
      jwksUri: options.jwksUri,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      // aws-jwt-verify checks exp only when the token has one: a token without it would never expire.
      customJwtCheck: ({ payload }) => {
        if (typeof payload.exp !== 'number') throw new JwtWithoutExpiryError('the token has no exp');
      },
    },
    { jwksCache: options.jwksCache ?? new SimpleJwksCache({ fetcher: new LoopbackOrHttpsFetcher() }) },
  );
  return async (event) => {
    const apiArn = apiStageArn(event.methodArn ?? '');
    // Not a caller's mistake: API Gateway always sends a method ARN. A plain error: a 500, not cached.
    if (!apiArn) throw new Error(`not an API Gateway method ARN: ${String(event.methodArn).slice(0, 200)}`);
    const token = BEARER_JWT.exec(event.authorizationToken ?? '')?.[1];
    if (!token) {
      logger.warn('token refused', { reason: 'the Authorization header is not "Bearer <JWT>"' });
      throw new Error(UNAUTHORIZED);
    }
    let payload: Record<string, unknown>;
    try {
      payload = (await verifier.verify(token)) as Record<string, unknown>;
    } catch (error) {
      if (!isTokenProblem(error)) throw error;
      // The reason, never the token (aws-jwt-verify leaves the raw JWT out of its errors by default).
      logger.warn('token refused', { reason: (error as Error).message, error: (error as Error).name });
      throw new Error(UNAUTHORIZED);
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub === '') {
      logger.warn('token refused', { reason: 'the token has no sub' });
      throw new Error(UNAUTHORIZED);
    }
    const groups = groupsOf(payload[groupsClaim]);
    const policy = policyForGroups(apiArn, groups, options.permissions);
    logger.info('token accepted', { sub, groups, statements: policy.Statement.map((s) => s.Effect) });
    return {
      principalId: sub,
      policyDocument: policy,
      context: {
        sub,
        groups: JSON.stringify(groups),
        ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
      },
    };
  };
}
