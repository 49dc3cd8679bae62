import { timingSafeEqual } from 'node:crypto';
import { jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import { issueClientToken } from './tokens';
import type { UserPools } from './user-pools';

export const OAUTH2_TOKEN_PATH = '/_aws/cognito-idp/oauth2/token';

/**
 * Cognito's `/oauth2/token` for machine-to-machine clients (`grant_type=client_credentials`), served locally at
 * `OAUTH2_TOKEN_PATH` (the client id picks the pool). As Cognito documents it
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html, research notes B5):
 * client_secret_basic or client_secret_post; the client needs a secret, AllowedOAuthFlows client_credentials
 * and AllowedOAuthFlowsUserPoolClient; no scope asked means all the client's custom scopes. Errors are RFC 6749
 * bodies with HTTP 400 (`{"error":"invalid_client"}`), the reason in the local log.
 *
 * The docs disagree on a requested scope the client may not use: the token endpoint page says it is ignored,
 * the resource-server page that "an error is returned and an access token isn't issued". The local cloud
 * refuses it (`invalid_scope`): the stricter reading, so code that works here cannot rely on a scope it lacks.
 */
export async function oauth2Token(
  pools: UserPools,
  request: IncomingRequest,
  nowSeconds: number,
  log: (line: string) => void,
): Promise<OutgoingResponse> {
  const refuse = (error: string, reason: string) => {
    log(`400 POST ${OAUTH2_TOKEN_PATH} ${error}: ${reason}`);
    return jsonReply(400, { error }, { 'cache-control': 'no-store' });
  };
  if (request.method !== 'POST') return refuse('invalid_request', 'the token endpoint takes POST only');
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return refuse('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  const form = new URLSearchParams(request.body.toString('utf8'));
  const grantType = form.get('grant_type');
  if (!grantType) return refuse('invalid_request', 'grant_type is missing');
  let clientId = form.get('client_id') ?? undefined;
  let clientSecret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    if (clientSecret !== undefined)
      return refuse('invalid_request', 'client secret sent twice (header and body)');
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return refuse('invalid_client', 'the Basic credentials are not client_id:client_secret');
    let headerClientId: string;
    try {
      // RFC 6749 2.3.1: both parts are form-urlencoded before they are joined.
      headerClientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    } catch {
      return refuse('invalid_client', 'the Basic credentials are not valid percent-encoding');
    }
    if (clientId !== undefined && clientId !== headerClientId)
      return refuse('invalid_request', 'client_id in the body differs from the Basic credentials');
    clientId = headerClientId;
  }
  if (!clientId) return refuse('invalid_client', 'no client_id');
  const found = pools.client(clientId);
  if (!found) return refuse('invalid_client', `no app client ${clientId}`);
  const { pool, client } = found;
  if (!pool.config.domain)
    return refuse(
      'invalid_request',
      `pool ${pool.config.id} has no AWS::Cognito::UserPoolDomain, so no token endpoint on AWS`,
    );
  const expected = Buffer.from(client.clientSecret ?? '');
  const given = Buffer.from(clientSecret ?? '');
  if (
    client.clientSecret === undefined ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  )
    return refuse('invalid_client', `client ${clientId}: wrong or missing client secret`);
  if (grantType !== 'client_credentials')
    return refuse(
      'unsupported_grant_type',
      `${grantType.slice(0, 40)}: the local cloud issues client_credentials tokens only`,
    );
  if (!client.allowedOAuthFlowsUserPoolClient || !client.allowedOAuthFlows.includes('client_credentials'))
    return refuse('unauthorized_client', `client ${clientId} is not allowed the client_credentials flow`);
  const known = new Set(
    pool.config.resourceServers.flatMap((server) =>
      server.scopes.map((scope) => `${server.identifier}/${scope.ScopeName}`),
    ),
  );
  const allowed = client.allowedOAuthScopes.filter((scope) => known.has(scope));
  const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const refused = asked.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0)
    return refuse('invalid_scope', `client ${clientId} may not use ${refused.join(' ')}`);
  const scopes = asked.length > 0 ? [...new Set(asked)] : allowed;
  if (scopes.length === 0) return refuse('invalid_scope', `client ${clientId} has no custom scopes`);
  const accessToken = await issueClientToken(pool, client, scopes, nowSeconds);
  return jsonReply(
    200,
    { access_token: accessToken, expires_in: client.accessTokenValiditySeconds, token_type: 'Bearer' },
    { 'cache-control': 'no-store' },
  );
}
