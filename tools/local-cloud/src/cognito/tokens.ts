import { createPrivateKey, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { notAuthorized } from './errors';
import { readableBy } from './flows/attributes';
import { sha256, type AppClient, type CognitoUser, type SigningKey, type UserPool } from './user-pools';

/** The issuer AWS puts in every token of the pool (research notes B4), so unmodified verifiers accept them. */
export function issuerOf(pool: UserPool): string {
  return `https://cognito-idp.${pool.config.region}.amazonaws.com/${pool.config.id}`;
}

export function jwksOf(pool: UserPool): { keys: Array<Record<string, string>> } {
  return { keys: [pool.data.idKey.publicJwk, pool.data.accessKey.publicJwk] };
}

/**
 * The OpenID configuration Cognito publishes per pool (the parts a verifier or client library reads). The issuer
 * and JWKS URI are AWS's, as in the tokens; the token endpoint is the local one (`tokenEndpoint`), since a client
 * that reads it from here must reach the emulated endpoint. No hosted UI: no authorization endpoint.
 */
export function openIdConfiguration(pool: UserPool, tokenEndpoint: string): Record<string, unknown> {
  const issuer = issuerOf(pool);
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    ...(pool.config.domain ? { token_endpoint: tokenEndpoint } : {}),
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

/** Cognito's longest access/ID token validity (1 day): a revoked session's tokens are dead by then. */
const MAX_TOKEN_VALIDITY_SECONDS = 86_400;
/** Refresh tokens issued between two prunes of expired records. */
const PRUNE_EVERY = 1000;
let issuedSincePrune = 0;

const keyObjects = new WeakMap<SigningKey, KeyObject>();
function privateKey(key: SigningKey): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    object = createPrivateKey(key.privateKeyPem);
    keyObjects.set(key, object);
  }
  return object;
}

async function sign(key: SigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(privateKey(key));
}

export interface IssuedTokens {
  AccessToken: string;
  ExpiresIn: number;
  IdToken: string;
  RefreshToken?: string;
  TokenType: 'Bearer';
}

/** ID token attributes: every attribute but the internal ones, `*_verified` as booleans (research notes B4). */
function idTokenAttributes(client: AppClient, user: CognitoUser): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(readableBy(client, user.attributes))) {
    if (name === 'sub') continue;
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

/** Groups in precedence order (lower first), as the `cognito:groups` claim lists them. */
function groupsOf(pool: UserPool, user: CognitoUser): string[] {
  const precedence = new Map(
    pool.config.groups.map((group) => [group.groupName, group.precedence ?? Infinity]),
  );
  return user.groups
    .filter((name) => precedence.has(name))
    .sort((a, b) => (precedence.get(a) as number) - (precedence.get(b) as number) || a.localeCompare(b));
}

/**
 * Revokes every session of a user (GlobalSignOut, AdminDisableUser, AdminDeleteUser): its refresh tokens, and
 * the access and ID tokens issued from them (they share the session's `origin_jti`).
 */
export function revokeUserSessions(pool: UserPool, username: string, nowSeconds: number): void {
  // Also by time, for sessions whose refresh token is gone (expired and pruned) while their access tokens live.
  const user = Object.hasOwn(pool.data.users, username) ? pool.data.users[username] : undefined;
  if (user) user.tokensValidAfter = nowSeconds;
  for (const [hash, record] of Object.entries(pool.data.refreshTokens)) {
    if (record.username === username) revokeRefreshToken(pool, hash, nowSeconds);
  }
}

/** Revokes one refresh token (by hash) and the tokens of its session. */
export function revokeRefreshToken(pool: UserPool, hash: string, nowSeconds: number): void {
  const record = pool.data.refreshTokens[hash];
  if (!record || record.revoked) return;
  record.revoked = true;
  pool.data.revokedOrigins[record.originJti] = nowSeconds + MAX_TOKEN_VALIDITY_SECONDS;
}

/** Forgets what can no longer matter: expired refresh tokens and revocations older than any token's life. */
export function pruneTokens(pool: UserPool, nowSeconds: number): void {
  for (const [hash, record] of Object.entries(pool.data.refreshTokens))
    if (record.expiresAt <= nowSeconds) delete pool.data.refreshTokens[hash];
  for (const [origin, until] of Object.entries(pool.data.revokedOrigins))
    if (until <= nowSeconds) delete pool.data.revokedOrigins[origin];
}

/**
 * A user's ID and access tokens (and, on a fresh sign-in, a refresh token), with Cognito's claim sets: the
 * ID token carries `aud` = client id and the user's attributes, the access token `client_id`, `scope` and
 * `username` and no `aud`; the two are signed with different keys, as Cognito does.
 */
export async function issueUserTokens(
  pool: UserPool,
  client: AppClient,
  user: CognitoUser,
  nowSeconds: number,
  session: { authTime: number; originJti: string; withRefreshToken: boolean },
): Promise<IssuedTokens> {
  const iss = issuerOf(pool);
  const eventId = randomUUID();
  const groups = groupsOf(pool, user);
  const groupClaim = groups.length > 0 ? { 'cognito:groups': groups } : {};
  const idToken = await sign(pool.data.idKey, {
    sub: user.sub,
    ...groupClaim,
    ...idTokenAttributes(client, user),
    iss,
    'cognito:username': user.username,
    origin_jti: session.originJti,
    aud: client.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: session.authTime,
    exp: nowSeconds + client.idTokenValiditySeconds,
    iat: nowSeconds,
    jti: randomUUID(),
  });
  const accessToken = await sign(pool.data.accessKey, {
    sub: user.sub,
    ...groupClaim,
    iss,
    client_id: client.clientId,
    origin_jti: session.originJti,
    event_id: eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: session.authTime,
    exp: nowSeconds + client.accessTokenValiditySeconds,
    iat: nowSeconds,
    jti: randomUUID(),
    username: user.username,
    version: 2,
  });
  const issued: IssuedTokens = {
    AccessToken: accessToken,
    ExpiresIn: client.accessTokenValiditySeconds,
    IdToken: idToken,
    TokenType: 'Bearer',
  };
  if (session.withRefreshToken) {
    // Opaque, like Cognito's (an encrypted JWT there); only its hash is kept.
    const refreshToken = randomBytes(96).toString('base64url');
    pool.data.refreshTokens[sha256(refreshToken)] = {
      username: user.username,
      sub: user.sub,
      clientId: client.clientId,
      originJti: session.originJti,
      authTime: session.authTime,
      expiresAt: nowSeconds + client.refreshTokenValiditySeconds,
    };
    issued.RefreshToken = refreshToken;
    issuedSincePrune += 1;
    if (issuedSincePrune >= PRUNE_EVERY) {
      issuedSincePrune = 0;
      pruneTokens(pool, nowSeconds);
    }
  }
  return issued;
}

/** A machine (client_credentials) access token: `sub` = client id, the granted scopes, no user claims. */
export async function issueClientToken(
  pool: UserPool,
  client: AppClient,
  scopes: string[],
  nowSeconds: number,
): Promise<string> {
  return sign(pool.data.accessKey, {
    sub: client.clientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: nowSeconds,
    iss: issuerOf(pool),
    exp: nowSeconds + client.accessTokenValiditySeconds,
    iat: nowSeconds,
    version: 2,
    jti: randomUUID(),
    client_id: client.clientId,
  });
}

export interface AccessTokenClaims {
  sub: string;
  username: string;
  client_id: string;
  origin_jti?: string;
  iat: number;
  scope: string;
}

/**
 * Verifies an access token of this pool for the token-authorized operations (GetUser, ChangePassword,
 * GlobalSignOut): signature with the access key, issuer, `token_use: access`, the scope
 * `aws.cognito.signin.user.admin`, expiry on the cloud's clock, and revocation.
 */
export async function verifyAccessToken(
  pool: UserPool,
  token: string,
  now: Date,
): Promise<{ claims: AccessTokenClaims; user: CognitoUser }> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw notAuthorized('Invalid Access Token');
  }
  if (kid !== pool.data.accessKey.kid) throw notAuthorized('Invalid Access Token');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, accessPublicKey(pool), {
      issuer: issuerOf(pool),
      algorithms: ['RS256'],
      currentDate: now,
      clockTolerance: 0,
    }));
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED')
      throw notAuthorized('Access Token has expired');
    throw notAuthorized('Invalid Access Token');
  }
  const claims = payload as unknown as AccessTokenClaims & { token_use?: string };
  if (claims.token_use !== 'access' || typeof claims.username !== 'string')
    throw notAuthorized('Invalid Access Token');
  if (
    !String(claims.scope ?? '')
      .split(' ')
      .includes('aws.cognito.signin.user.admin')
  )
    throw notAuthorized('Access Token does not have required scopes');
  const user = Object.hasOwn(pool.data.users, claims.username) ? pool.data.users[claims.username] : undefined;
  if (!user) throw notAuthorized('User does not exist.');
  if (user.sub !== claims.sub) throw notAuthorized('Invalid Access Token');
  if (
    claims.origin_jti === undefined ||
    Object.hasOwn(pool.data.revokedOrigins, claims.origin_jti) ||
    claims.iat < (user.tokensValidAfter ?? 0)
  )
    throw notAuthorized('Access Token has been revoked');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { claims, user };
}

const publicKeys = new WeakMap<SigningKey, KeyObject>();
function accessPublicKey(pool: UserPool): KeyObject {
  return publicKeyOf(pool.data.accessKey);
}

/** A signing key's public half as a KeyObject, parsed once per key (verifiers must not parse per request). */
export function publicKeyOf(key: SigningKey): KeyObject {
  let object = publicKeys.get(key);
  if (!object) {
    object = createPublicKey({ key: key.publicJwk, format: 'jwk' });
    publicKeys.set(key, object);
  }
  return object;
}
