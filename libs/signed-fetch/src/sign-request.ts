import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from './types';

export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** Query parameters of the URL exactly as sent, decoded for the signer; repeated keys become lists. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const part of url.search.slice(1).split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    // Not URLSearchParams: it turns '+' into a space, which AWS does not do when it canonicalises.
    const key = decodeURIComponent(equals < 0 ? part : part.slice(0, equals));
    const value = decodeURIComponent(equals < 0 ? '' : part.slice(equals + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return query;
}

/**
 * The headers to send (Authorization, X-Amz-Date, X-Amz-Security-Token...) for one request.
 * `signingDate` comes from the (skew-corrected) clock; every attempt is signed anew.
 */
export async function signRequest(
  request: RequestToSign,
  credentials: AwsCredentialIdentity,
  scope: { region: string; service: string },
  signingDate: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query: queryOf(request.url),
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    },
    { signingDate },
  );
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}
