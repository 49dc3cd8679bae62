import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALGORITHM, DEFAULT_MAX_SKEW_MS, HEADER, MESSAGES, QUERY, SCOPE_TERMINATOR } from './constants';
import { buildCanonicalRequest, headerValues, sha256Hex } from './canonical-request';
import { SigV4Error } from './errors';
import { parseSignature, type ParsedSignature } from './parse-authorization';
import { signingKey } from './signing-key';
import type { CredentialRecord, CredentialScope, SignedRequest, VerifyOptions } from './types';

export type VerifyResult =
  | {
      ok: true;
      accessKeyId: string;
      sessionToken?: string;
      signedHeaders: string[];
      form: 'header' | 'query';
      scope: CredentialScope;
    }
  | { ok: false; error: SigV4Error };

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(value: string): Date | undefined {
  const match = AMZ_DATE.exec(value);
  if (match) {
    const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
    return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  }
  const http = new Date(value);
  return Number.isNaN(http.getTime()) ? undefined : http;
}

function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // A length difference reveals nothing secret (signatures are always 64 hex characters).
  return left.length === right.length && timingSafeEqual(left, right);
}

function checkScope(parsed: ParsedSignature, requestDate: Date, options: VerifyOptions): void {
  const { scope } = parsed;
  if (scope.service !== options.service)
    throw new SigV4Error('SignatureDoesNotMatch', MESSAGES.wrongService(options.service));
  if (scope.region !== options.region)
    throw new SigV4Error('SignatureDoesNotMatch', MESSAGES.wrongRegion(scope.region));
  if (parsed.terminator !== SCOPE_TERMINATOR) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${parsed.terminator}'. `,
    );
  }
  const day = amzDate(requestDate).slice(0, 8);
  if (scope.date !== day) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${day}', from '${amzDate(requestDate)}'.`,
    );
  }
}

function checkTime(parsed: ParsedSignature, requestDate: Date, options: VerifyOptions): void {
  const skew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const now = options.now.getTime();
  const signed = amzDate(requestDate);
  const minutes = Math.round(skew / 60_000);
  if (parsed.form === 'query' && now > requestDate.getTime() + (parsed.expiresSeconds as number) * 1000) {
    const limit = new Date(now - (parsed.expiresSeconds as number) * 1000);
    throw new SigV4Error(
      'SignatureExpired',
      `Signature expired: ${signed} is now earlier than ${amzDate(limit)} (${amzDate(options.now)} - ${parsed.expiresSeconds} sec.)`,
    );
  }
  if (parsed.form === 'header' && requestDate.getTime() < now - skew) {
    throw new SigV4Error(
      'SignatureExpired',
      `Signature expired: ${signed} is now earlier than ${amzDate(new Date(now - skew))} (${amzDate(options.now)} - ${minutes} min.)`,
    );
  }
  if (requestDate.getTime() > now + skew) {
    throw new SigV4Error(
      'SignatureExpired',
      `Signature not yet current: ${signed} is still later than ${amzDate(new Date(now + skew))} (${amzDate(options.now)} + ${minutes} min.)`,
    );
  }
}

function checkCredential(
  parsed: ParsedSignature,
  record: CredentialRecord | undefined,
  now: Date,
): CredentialRecord {
  if (!record) throw new SigV4Error('InvalidClientTokenId', MESSAGES.invalidToken);
  if (record.sessionToken !== undefined) {
    if (parsed.sessionToken === undefined || !constantTimeEquals(parsed.sessionToken, record.sessionToken)) {
      throw new SigV4Error('InvalidClientTokenId', MESSAGES.invalidToken);
    }
    if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) {
      throw new SigV4Error('ExpiredToken', MESSAGES.expiredToken);
    }
  } else if (parsed.sessionToken !== undefined) {
    throw new SigV4Error('InvalidClientTokenId', MESSAGES.invalidToken);
  }
  return record;
}

function payloadHash(request: SignedRequest, normalize: boolean): string {
  const computed = sha256Hex(request.body);
  const declared = headerValues(request, HEADER.contentSha256);
  if (declared === undefined || declared === computed) return computed;
  if (declared === 'UNSIGNED-PAYLOAD' && !normalize) return declared;
  // A declared hash that differs from the body would let a body be swapped under a valid signature.
  throw new SigV4Error(
    'SignatureDoesNotMatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  );
}

/**
 * Verifies a SigV4-signed request (Authorization header or presigned query) the way AWS does: scope,
 * clock skew, credential and session token, then the signature over the canonical request, compared in
 * constant time. Never throws: bad input of any kind is a refusal with AWS's message.
 */
export function verifySigV4(request: SignedRequest, options: VerifyOptions): VerifyResult {
  try {
    const normalize = options.normalizePath ?? true;
    const parsed = parseSignature(request);
    const requestDate = parseAmzDate(parsed.amzDate);
    if (!requestDate) {
      throw new SigV4Error(
        'IncompleteSignature',
        `Date must be in ISO-8601 'basic format'. Got '${parsed.amzDate}'.`,
      );
    }
    checkScope(parsed, requestDate, options);
    checkTime(parsed, requestDate, options);
    const record = checkCredential(parsed, options.lookupCredential(parsed.scope.accessKeyId), options.now);
    const signedHeaders = parsed.signedHeaders;
    if (!signedHeaders.includes(HEADER.host)) {
      throw new SigV4Error(
        'SignatureDoesNotMatch',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      );
    }
    const canonical = buildCanonicalRequest(
      request,
      signedHeaders,
      payloadHash(request, normalize),
      normalize,
      parsed.form === 'query' ? QUERY.signature : undefined,
    );
    const { date, region, service } = parsed.scope;
    const stringToSign = [
      ALGORITHM,
      parsed.amzDate,
      `${date}/${region}/${service}/${SCOPE_TERMINATOR}`,
      sha256Hex(canonical),
    ].join('\n');
    const expected = createHmac('sha256', signingKey(record.secretAccessKey, date, region, service))
      .update(stringToSign)
      .digest('hex');
    const missingHeader = signedHeaders.some((name) => headerValues(request, name) === undefined);
    if (missingHeader || !constantTimeEquals(expected, parsed.signature)) {
      throw new SigV4Error(
        'SignatureDoesNotMatch',
        `${MESSAGES.signatureMismatch}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
      );
    }
    return {
      ok: true,
      accessKeyId: parsed.scope.accessKeyId,
      sessionToken: parsed.sessionToken,
      signedHeaders,
      form: parsed.form,
      scope: parsed.scope,
    };
  } catch (error) {
    if (error instanceof SigV4Error) return { ok: false, error };
    return {
      ok: false,
      error: new SigV4Error('IncompleteSignature', 'The request signature is malformed.', 400),
    };
  }
}
