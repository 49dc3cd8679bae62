import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { issuerOf, publicKeyOf, type UserPool } from '../cognito';
import type { IncomingRequest } from '../http/incoming-request';
import type { ApiMethod, CognitoAuthorizer } from './types';

/** What the gateway needs of the user pools: a pool's keys and issuer, by id. */
export interface UserPoolDirectory {
  get(poolId: string): UserPool | undefined;
}

export type CognitoOutcome =
  | { ok: true; claims: Record<string, string>; principal: string }
  | { ok: false; expired: boolean; reason: string };

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
  const refuse = (reason: string, expired = false): CognitoOutcome => ({ ok: false, expired, reason });
  const header = request.headers[authorizer.identityHeader]?.trim();
  if (!header) return refuse(`no ${authorizer.identityHeader} header`);
  const token = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '') : header;
  if (token.length > 16_384 || token.split('.').length !== 3) return refuse('not a JWT');
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
  for (const poolId of authorizer.poolIds) {
    const candidate = pools.get(poolId);
    if (!candidate) continue;
    if (candidate.data.idKey.kid === kid) [pool, keyUse] = [candidate, 'id'];
    else if (candidate.data.accessKey.kid === kid) [pool, keyUse] = [candidate, 'access'];
    if (pool) break;
  }
  if (!pool || !keyUse) return refuse("the token's key is not one of the authorizer's user pools'");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      publicKeyOf(keyUse === 'id' ? pool.data.idKey : pool.data.accessKey),
      {
        algorithms: ['RS256'],
        issuer: issuerOf(pool),
        currentDate: now,
      },
    ));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') return refuse('the token has expired', true);
    return refuse(`the token does not verify (${code ?? 'invalid'})`);
  }
  if (payload.token_use !== keyUse)
    return refuse(`token_use ${String(payload.token_use)} signed with the ${keyUse} key`);
  const scopes = method.authorizationScopes ?? [];
  if (scopes.length === 0) {
    if (keyUse !== 'id')
      return refuse('the method has no scopes, so it takes an ID token, not an access token');
  } else {
    if (keyUse !== 'access')
      return refuse('the method has scopes, so it takes an access token, not an ID token');
    const granted = String(payload.scope ?? '').split(' ');
    if (!scopes.some((scope) => granted.includes(scope)))
      return refuse(`the token has none of the method's scopes (${scopes.join(' ')})`);
  }
  if (authorizer.validationExpression !== undefined) {
    const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
    if (aud === undefined || !new RegExp(authorizer.validationExpression).test(aud))
      return refuse('aud does not match the IdentityValidationExpression');
  }
  return { ok: true, claims: claimsAsAwsPassesThem(payload), principal: String(payload.sub) };
}
