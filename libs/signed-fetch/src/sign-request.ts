import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
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

/**
 * The URL with every raw `+` of its query sent as `%2B`. SigV4 signs a raw `+` as a plus (as `signerQuery`
 * reads it), but API Gateway hands it to the function as a space (form decoding), so the same bytes would
 * mean two things; `%2B` means a plus to both. The signature does not change.
 */
export function withLiteralPlus(url: URL): URL {
  if (!url.search.includes('+')) return url;
  const copy = new URL(url);
  copy.search = url.search.replace(/\+/g, '%2B');
  return copy;
}

/**
 * Derived signing keys (4 HMACs each), per credentials object, for its current day, region and service.
 * smithy caches them too, but finds them by an HMAC of the secret on every request; here the lookup is a
 * WeakMap and a string, so one signature costs one HMAC and two hashes. Refreshed credentials are new objects
 * (the old entries go with them).
 */
const signingKeys = new WeakMap<
  AwsCredentialIdentity,
  { secret: string; keys: Map<string, Promise<Uint8Array>> }
>();

function cachedSigningKey(
  sha256: ChecksumConstructor,
  credentials: AwsCredentialIdentity,
  shortDate: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  let entry = signingKeys.get(credentials);
  // A credentials object changed in place (not something providers do) starts afresh.
  if (entry?.secret !== credentials.secretAccessKey) {
    entry = { secret: credentials.secretAccessKey, keys: new Map() };
    signingKeys.set(credentials, entry);
  }
  const { keys } = entry;
  const id = `${shortDate}/${region}/${service}`;
  let key = keys.get(id);
  if (!key) {
    for (const old of keys.keys()) if (!old.startsWith(shortDate)) keys.delete(old);
    key = getSigningKey(sha256, credentials, shortDate, region, service);
    key.catch(() => keys.delete(id));
    keys.set(id, key);
  }
  return key;
}

/** smithy's signer with the signing-key cache above. */
class KeyCachingSignatureV4 extends SignatureV4 {
  public constructor(init: ConstructorParameters<typeof SignatureV4>[0] & { sha256: ChecksumConstructor }) {
    super(init);
    // smithy declares getSigningKey private, so it is replaced on the instance rather than overridden. If a
    // smithy release renamed it, signing would stay correct (smithy's own path), only slower: the spec checks it.
    Object.defineProperty(this, 'getSigningKey', {
      value: (credentials: AwsCredentialIdentity, region: string, shortDate: string, service?: string) =>
        cachedSigningKey(init.sha256, credentials, shortDate, region, service ?? this.service),
    });
  }
}

/** The signer, also reporting the canonical request and string to sign it computed. */
class TracingSignatureV4 extends KeyCachingSignatureV4 {
  private canonicalRequest = '';

  public constructor(
    init: ConstructorParameters<typeof KeyCachingSignatureV4>[0],
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
    // SigV4 encodes each path segment twice for every service but S3, which gets it once:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
    uriEscapePath: scope.service !== 's3',
  };
  return options.trace ? new TracingSignatureV4(init, options.trace) : new KeyCachingSignatureV4(init);
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
