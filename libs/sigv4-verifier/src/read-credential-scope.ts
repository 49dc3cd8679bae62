import { parseAuthorizationHeader } from './authorization-header';
import { indexHeaders } from './canonical-headers';
import { AUTHORIZATION_PARAMETER, QUERY } from './constants';
import { parseCredential } from './credential';
import { SigV4Error } from './errors';
import { decodedParams, splitQuery } from './query-params';
import { authorizationHeaders } from './signature-parts';
import type { CredentialScope, SignedRequest } from './types';

/**
 * The credential scope a request claims (header form first, then presigned query), verifying nothing:
 * used to dispatch a request to the service it is signed for, which then verifies and answers in its own format.
 *
 * @example
 * const scope = readCredentialScope(request);
 * if (scope?.service === 'sts') return sts.handle(request);
 */
export function readCredentialScope(request: SignedRequest): CredentialScope | undefined {
  try {
    const authorization = authorizationHeaders(indexHeaders(request.headers))[0];
    const credential =
      authorization === undefined
        ? decodedParams(splitQuery(request.query), QUERY.credential).get(QUERY.credential)?.[0]
        : parseAuthorizationHeader(authorization).parameters.get(AUTHORIZATION_PARAMETER.credential);
    if (!credential) return undefined;
    const { accessKeyId, date, region, service } = parseCredential(credential);
    return { accessKeyId, date, region, service };
  } catch (error) {
    // Unreadable means "no scope" here; verification will tell the caller why.
    if (error instanceof SigV4Error) return undefined;
    throw error;
  }
}
