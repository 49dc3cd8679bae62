import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor, HeaderBag, HttpRequest } from '@smithy/types';
import { Sha256 } from './sha256';
import type { AwsCredentialIdentity } from './types';

export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface SigningScopeInput {
  region: string;
  service: string;
}

/**
 * What the signer computed, for debugging a mismatch (`signed-fetch -v`). No secret key, but the canonical
 * request holds every signed header, `x-amz-security-token` included: redact it before printing or logging.
 */
export interface SigningTrace {
  canonicalRequest: string;
  stringToSign: string;
}

export interface SignOptions {
  signingDate: Date;
  /** Called with the canonical request and string to sign. */
  trace?: (trace: SigningTrace) => void;
  /** The hash implementation; default node's crypto where it exists, else sha256-js. */
  sha256?: ChecksumConstructor;
  /** Send and sign `X-Amz-Content-Sha256` (the payload hash). Default true, as the AWS SDKs do. */
  applyChecksum?: boolean;
}

/** AWS's presigned URLs live at most 7 days (SigV4 query auth). */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800;

/** Query parameters of the URL exactly as sent, decoded for the signer; repeated keys become lists. */
export function signerQuery(url: URL): Record<string, string | string[]> {
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

/** smithy's signer, reporting the canonical request and string to sign it computed. */
class TracingSignatureV4 extends SignatureV4 {
  private canonicalRequest = '';

  public constructor(
    init: ConstructorParameters<typeof SignatureV4>[0],
    private readonly trace: (trace: SigningTrace) => void,
  ) {
    super(init);
  }

  protected override createCanonicalRequest(request: HttpRequest, headers: HeaderBag, payloadHash: string) {
    this.canonicalRequest = super.createCanonicalRequest(request, headers, payloadHash);
    return this.canonicalRequest;
  }

  protected override async createStringToSign(
    longDate: string,
    credentialScope: string,
    canonicalRequest: string,
    algorithmIdentifier: string,
  ) {
    const stringToSign = await super.createStringToSign(
      longDate,
      credentialScope,
      canonicalRequest,
      algorithmIdentifier,
    );
    this.trace({ canonicalRequest: this.canonicalRequest, stringToSign });
    return stringToSign;
  }
}

function signerFor(credentials: AwsCredentialIdentity, scope: SigningScopeInput, options: SignOptions) {
  const init = {
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: options.sha256 ?? Sha256,
    applyChecksum: options.applyChecksum ?? true,
  };
  return options.trace ? new TracingSignatureV4(init, options.trace) : new SignatureV4(init);
}

function httpRequestOf(request: RequestToSign): HttpRequest {
  const { url } = request;
  return {
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: signerQuery(url),
    headers: { ...request.headers, host: url.host },
    body: request.body,
  };
}

/**
 * The headers to send (Authorization, X-Amz-Date, X-Amz-Security-Token...) for one request.
 * `signingDate` comes from the (skew-corrected) clock; every attempt is signed anew.
 */
export async function signRequest(
  request: RequestToSign,
  credentials: AwsCredentialIdentity,
  scope: SigningScopeInput,
  options: SignOptions,
): Promise<Record<string, string>> {
  const signed = await signerFor(credentials, scope, options).sign(httpRequestOf(request), {
    signingDate: options.signingDate,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}

/**
 * A presigned URL: the signature in the query (`X-Amz-Signature`), usable by any HTTP client for
 * `expiresInSeconds` (at most 7 days). The payload hash covers `request.body` (none: the empty body's).
 */
export async function presignRequest(
  request: RequestToSign,
  credentials: AwsCredentialIdentity,
  scope: SigningScopeInput,
  options: SignOptions & { expiresInSeconds: number },
): Promise<URL> {
  const presigned = await signerFor(credentials, scope, options).presign(httpRequestOf(request), {
    signingDate: options.signingDate,
    expiresIn: options.expiresInSeconds,
  });
  const search = Object.entries(presigned.query ?? {})
    .flatMap(([key, value]) =>
      ([] as Array<string | null>)
        .concat(value ?? null)
        .map((one) => (one === null ? awsEncode(key) : `${awsEncode(key)}=${awsEncode(one)}`)),
    )
    .join('&');
  return new URL(`${request.url.origin}${request.url.pathname}${search ? `?${search}` : ''}`);
}

/** RFC 3986 unreserved characters stay, everything else is %XX (what AWS canonicalises to). */
function awsEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
