import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { issuerOf, publicKeyOf, type UserPool } from '../cognito';
import type { SigningKey } from '../cognito/user-pools';
import type { IncomingRequest } from '../http/incoming-request';
import { compiledPattern } from './compiled-patterns';
import type { ApiMethod, CognitoAuthorizer } from './types';

/** What the gateway needs of the user pools: a pool's keys and issuer, by id. */
export interface UserPoolDirectory {
  get(poolId: string): UserPool | undefined;
}

export type CognitoOutcome =
  | { ok: true; claims: Record<string, string>; principal: string }
  /** `claim`: the token claim that decided the refusal, when one did. */
  | { ok: false; expired: boolean; reason: string; claim?: string };

/**
 * Tokens whose signature and issuer were verified, by their text: a signature never stops being valid, so a
 * repeated token costs a map lookup, not an RSA verification. Expiry and the method's rules are checked on every
 * request; an entry is used only while its pool still signs with the same key (a new pool or key: verified again).
 */
interface Verified {
  poolId: string;
  key: SigningKey;
  keyUse: 'id' | 'access';
  payload: JWTPayload;
  claims: Record<string, string>;
}
const verified = new Map<string, Verified>();
const MAX_VERIFIED = 10_000;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue Jun 18 15:00:04 UTC 2024`: how API Gateway renders `exp` and `iat` in the claims (research notes A4). */
export function awsDateText(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * The claims as the Lambda proxy event carries them (`requestContext.authorizer.claims`): every value a string,
 * `exp`/`iat` as date text, booleans as "true"/"false" (captures in research notes A4). A list (`cognito:groups`)
 * is joined with commas: no REST capture with two groups was found; comma-joined is the best-supported reading
 * (aws/chalice splits it on ","; HTTP APIs render "[a b]" instead).
 */
export function claimsAsAwsPassesThem(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = awsDateText(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else claims[name] = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
  return claims;
}

/**
 * API Gateway's COGNITO_USER_POOLS authorizer (research notes A1-A3): the token from the identity-source header,
 * raw or after `Bearer `; an RS256 signature by a key of one of the authorizer's pools, and that pool's issuer;
 * not expired (the cloud's clock); no method scopes -> only an ID token; method scopes -> only an access token
 * holding at least one of them; IdentityValidationExpression against `aud`. Every refusal is the gateway's 401.
 */
export async function checkCognitoToken(
  request: IncomingRequest,
  authorizer: CognitoAuthorizer,
  method: ApiMethod,
  pools: UserPoolDirectory,
  now: Date,
): Promise<CognitoOutcome> {
  const refuse = (reason: string, claim?: string, expired = false): CognitoOutcome => ({
    ok: false,
    expired,
    reason,
    ...(claim === undefined ? {} : { claim }),
  });
  const header = request.headers[authorizer.identityHeader]?.trim();
  if (!header) return refuse(`no ${authorizer.identityHeader} header`);
  const token = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '') : header;
  // Three base64url segments exactly (jose's decoder would skip stray characters, making `<token>,` a new token).
  if (token.length > 16_384 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token))
    return refuse('not a JWT');
  const cached = verified.get(token);
  const current = cached && pools.get(cached.poolId);
  const entry =
    cached && current && (cached.keyUse === 'id' ? current.data.idKey : current.data.accessKey) === cached.key
      ? cached
      : await verify(token, authorizer, pools, now);
  if ('reason' in entry) return entry;
  if (!authorizer.poolIds.includes(entry.poolId))
    return refuse("the token's pool is not one of the authorizer's", 'iss');
  const nowSeconds = now.getTime() / 1000;
  if (typeof entry.payload.exp !== 'number' || entry.payload.exp <= nowSeconds)
    return refuse('the token has expired', 'exp', true);
  if (typeof entry.payload.nbf === 'number' && entry.payload.nbf > nowSeconds)
    return refuse('the token is not valid yet', 'nbf');
  if (typeof entry.payload.iat !== 'number' || entry.payload.iat > nowSeconds)
    return refuse('the token is issued in the future', 'iat');
  const { payload, keyUse } = entry;
  if (payload.token_use !== keyUse)
    return refuse(`token_use ${String(payload.token_use)} signed with the ${keyUse} key`, 'token_use');
  const scopes = method.authorizationScopes ?? [];
  if (scopes.length === 0) {
    if (keyUse !== 'id')
      return refuse('the method has no scopes, so it takes an ID token, not an access token', 'token_use');
  } else {
    if (keyUse !== 'access')
      return refuse('the method has scopes, so it takes an access token, not an ID token', 'token_use');
    const granted = String(payload.scope ?? '').split(' ');
    if (!scopes.some((scope) => granted.includes(scope)))
      return refuse(`the token has none of the method's scopes (${scopes.join(' ')})`, 'scope');
  }
  if (authorizer.validationExpression !== undefined) {
    // The whole `aud` must match (the stricter reading: AWS's Java regex matching is not documented).
    const expression = compiledPattern(`^(?:${authorizer.validationExpression})$`);
    const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
    if (aud === undefined || !expression.test(aud))
      return refuse('aud does not match the IdentityValidationExpression', 'aud');
  }
  return { ok: true, claims: entry.claims, principal: String(payload.sub) };
}

/** The signature, key and issuer check of a token not seen before; remembered when it passes. */
async function verify(
  token: string,
  authorizer: CognitoAuthorizer,
  pools: UserPoolDirectory,
  now: Date,
): Promise<Verified | { ok: false; expired: boolean; reason: string; claim?: string }> {
  const refuse = (reason: string, claim?: string, expired = false) => ({
    ok: false as const,
    expired,
    reason,
    ...(claim === undefined ? {} : { claim }),
  });
  let kid: unknown;
  let alg: unknown;
  try {
    ({ kid, alg } = decodeProtectedHeader(token));
  } catch {
    return refuse('not a JWT');
  }
  if (alg !== 'RS256') return refuse(`alg ${String(alg).slice(0, 20)} (only RS256)`);
  let pool: UserPool | undefined;
  let keyUse: 'id' | 'access' | undefined;
  for (const [index, poolId] of authorizer.poolIds.entries()) {
    const candidate = pools.get(poolId);
    // The whole ARN must be the pool's: account and region too, not only the id.
    if (!candidate || candidate.config.arn !== authorizer.providerArns[index]) continue;
    if (candidate.data.idKey.kid === kid) [pool, keyUse] = [candidate, 'id'];
    else if (candidate.data.accessKey.kid === kid) [pool, keyUse] = [candidate, 'access'];
    if (pool) break;
  }
  if (!pool || !keyUse) return refuse("the token's key is not one of the authorizer's user pools'");
  const key = keyUse === 'id' ? pool.data.idKey : pool.data.accessKey;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, publicKeyOf(key), {
      algorithms: ['RS256'],
      issuer: issuerOf(pool),
      currentDate: now,
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') return refuse('the token has expired', 'exp', true);
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
      return refuse(`the token does not verify (${code})`, (error as { claim?: string }).claim);
    return refuse(`the token does not verify (${code ?? 'invalid'})`);
  }
  const entry: Verified = {
    poolId: pool.config.id,
    key,
    keyUse,
    payload,
    claims: claimsAsAwsPassesThem(payload),
  };
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
  verified.set(token, entry);
  return entry;
}
