import { asciiLowerCase, headerText, indexHeaders, type HeaderIndex } from './canonical-headers';
import { buildCanonicalRequest } from './canonical-request';
import { ALGORITHM, DEFAULT_MAX_SKEW_MS, HEADER, MESSAGE, QUERY, SIGNING_KEY_CACHE_SIZE } from './constants';
import { checkSessionToken, resolveCredential } from './credential-record';
import { parseCredential } from './credential';
import { checkCredentialScope } from './credential-scope';
import { constantTimeEquals, hmacSha256 } from './crypto';
import {
  IncompleteSignatureError,
  InternalFailureError,
  SigV4Error,
  SignatureDoesNotMatchError,
} from './errors';
import { payloadHash } from './payload-hash';
import { splitQuery, type QueryParam } from './query-params';
import { checkRequestTime, readRequestTime } from './request-time';
import { readSignatureParts } from './signature-parts';
import { SigningKeyCache } from './signing-key';
import { buildStringToSign, credentialScopeText } from './string-to-sign';
import type { SignedRequest, VerifyOptions, VerifyResult } from './types';

const signingKeys = new SigningKeyCache(SIGNING_KEY_CACHE_SIZE);
const NOT_EXCLUDED: ReadonlySet<string> = new Set();
const PRESIGNED_EXCLUDED: ReadonlySet<string> = new Set([QUERY.signature]);
const PRESIGNED_TOKEN_EXCLUDED: ReadonlySet<string> = new Set([QUERY.signature, QUERY.securityToken]);

type Verified = Omit<Extract<VerifyResult, { ok: true }>, 'ok'>;

function isHostHeader(lowerCaseName: string): boolean {
  return lowerCaseName === HEADER.host || lowerCaseName === HEADER.authority;
}

/**
 * "You must include the host header ... and any x-amz-* headers in the signature"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): an unsigned
 * `X-Amz-Target` would let a request signed for GetItem be replayed as DeleteItem. The one exception is
 * X-Amz-Security-Token, which some services take added after signing (the AWS suite's post-sts-header-after);
 * it is bound to the access key and checked against the issued token anyway.
 */
function unsignedAmzHeaders(headers: HeaderIndex, signedLowerCase: readonly string[]): string[] {
  // A Set, so that a crafted request with many x-amz-* headers and many signed names stays linear.
  const signed = new Set(signedLowerCase);
  const unsigned: string[] = [];
  for (const name of headers.keys())
    if (name.startsWith('x-amz-') && name !== HEADER.securityToken && !signed.has(name)) unsigned.push(name);
  return unsigned;
}

interface SignatureComputation {
  request: SignedRequest;
  query: readonly QueryParam[];
  headers: HeaderIndex;
  signedHeaders: readonly string[];
  payloadHash: string;
  normalizePath: boolean;
  requestDateTime: string;
  scope: string;
  signingKey: Buffer;
}

function computeSignature(input: SignatureComputation, excludedQueryKeys: ReadonlySet<string>) {
  const canonicalRequest = buildCanonicalRequest({
    method: input.request.method,
    path: input.request.path,
    query: input.query,
    headers: input.headers,
    signedHeaders: input.signedHeaders,
    payloadHash: input.payloadHash,
    normalizePath: input.normalizePath,
    excludedQueryKeys,
  });
  const stringToSign = buildStringToSign(input.requestDateTime, input.scope, canonicalRequest);
  return {
    canonicalRequest,
    stringToSign,
    signature: hmacSha256(input.signingKey, stringToSign).toString('hex'),
  };
}

// Checks in the order AWS reports them (architect/dynalite index.js): form and parameters, date and skew,
// Host signed, algorithm, credential shape, scope, access key, signature, session token.
function verifyOrThrow(request: SignedRequest, options: VerifyOptions, maxSkewMs: number): Verified {
  const normalizePath = options.normalizePath ?? true;
  const headers = indexHeaders(request.headers);
  const query = splitQuery(request.query);
  const parts = readSignatureParts(headers, query);
  const time = readRequestTime(parts.requestDateText, parts.dateFromHttpDateHeader);
  checkRequestTime(time, parts.expires, options.now, maxSkewMs);
  const signedHeaders = parts.signedHeaders.split(';');
  const signedLowerCase = signedHeaders.map(asciiLowerCase);
  if (!signedLowerCase.some(isHostHeader)) throw new SignatureDoesNotMatchError(MESSAGE.hostNotSigned);
  const unsigned = unsignedAmzHeaders(headers, signedLowerCase);
  if (unsigned.length > 0) throw new SignatureDoesNotMatchError(MESSAGE.headersNotSigned(unsigned));
  if (parts.algorithm !== ALGORITHM)
    throw new IncompleteSignatureError(MESSAGE.unsupportedAlgorithm(parts.algorithm));
  const credential = parseCredential(parts.credential);
  checkCredentialScope(credential, time.requestDateTime, options);
  const record = resolveCredential(options.lookupCredential(credential.accessKeyId), options.now);

  const computation: SignatureComputation = {
    request,
    query,
    headers,
    signedHeaders,
    payloadHash: payloadHash(request.body, headerText(headers, HEADER.contentSha256), normalizePath),
    normalizePath,
    requestDateTime: time.requestDateTime,
    scope: credentialScopeText(credential.date, credential.region, credential.service),
    signingKey: signingKeys.get(
      record.secretAccessKey,
      credential.date,
      credential.region,
      credential.service,
    ),
  };
  const expected = computeSignature(computation, parts.form === 'query' ? PRESIGNED_EXCLUDED : NOT_EXCLUDED);
  // A signed header that is absent would sign as empty: refuse rather than let a header be dropped.
  const allSignedHeadersPresent = signedLowerCase.every((name) => headers.has(name));
  const matches =
    allSignedHeadersPresent &&
    (constantTimeEquals(expected.signature, parts.signature) ||
      // A presigned URL may get its X-Amz-Security-Token after signing (the suite's omit_session_token
      // case, AWS IoT's practice); the token is still checked against the credential below.
      (parts.form === 'query' &&
        parts.sessionToken !== undefined &&
        constantTimeEquals(
          computeSignature(computation, PRESIGNED_TOKEN_EXCLUDED).signature,
          parts.signature,
        )));
  if (!matches) {
    throw new SignatureDoesNotMatchError(
      MESSAGE.signatureMismatch(expected.canonicalRequest, expected.stringToSign),
    );
  }
  checkSessionToken(record, parts.sessionToken);
  const { accessKeyId, date, region, service } = credential;
  return {
    accessKeyId,
    sessionToken: parts.sessionToken,
    signedHeaders,
    form: parts.form,
    scope: { accessKeyId, date, region, service },
  };
}

/**
 * Verifies an AWS Signature Version 4 request - Authorization header or presigned URL - exactly as AWS
 * does, with AWS's own error texts. Synchronous; never throws on bad input: any refusal is `{ ok: false }`
 * (only a nonsensical `maxSkewMs` option throws, a RangeError).
 *
 * @example
 * const result = verifySigV4(
 *   { method: 'GET', path: '/prod/customers/42', query: '', headers: pairs, body },
 *   { now: new Date(), service: 'execute-api', region: 'us-east-1', lookupCredential: (id) => keys.get(id) },
 * );
 * if (!result.ok) return reply(result.error.status, { message: result.error.message });
 */
export function verifySigV4(request: SignedRequest, options: VerifyOptions): VerifyResult {
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (!Number.isFinite(maxSkewMs) || maxSkewMs < 0) {
    throw new RangeError(`maxSkewMs must be a non-negative number of milliseconds, got ${maxSkewMs}`);
  }
  try {
    return { ok: true, ...verifyOrThrow(request, options, maxSkewMs) };
  } catch (error) {
    if (error instanceof SigV4Error) return { ok: false, error };
    return { ok: false, error: new InternalFailureError(MESSAGE.internalFailure, { cause: error }) };
  }
}
