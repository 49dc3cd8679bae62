import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date';
import { MAX_PRESIGNED_EXPIRES_SECONDS, MESSAGE } from './constants';
import { IncompleteSignatureError, SignatureExpiredError } from './errors';

export interface RequestTime {
  requestDate: Date;
  /** ISO-8601 basic form, as it goes into the string to sign. */
  requestDateTime: string;
}

const INTEGER = /^-?\d+$/;

/** The signing time the request claims; throws IncompleteSignature when it is not a valid date. */
export function readRequestTime(text: string, fromHttpDateHeader: boolean): RequestTime {
  const isoDate = parseAmzDate(text);
  if (isoDate) return { requestDate: isoDate, requestDateTime: text };
  const httpDate = fromHttpDateHeader ? parseHttpDate(text) : undefined;
  if (!httpDate) throw new IncompleteSignatureError(MESSAGE.dateFormat(text));
  return { requestDate: httpDate, requestDateTime: formatAmzDate(httpDate) };
}

/** X-Amz-Expires in seconds; S3's AuthorizationQueryParametersError texts when it is not 0..604800. */
export function parseExpires(text: string): number {
  if (!INTEGER.test(text)) throw new IncompleteSignatureError(MESSAGE.expiresNotNumber);
  const seconds = Number(text);
  if (seconds < 0) throw new IncompleteSignatureError(MESSAGE.expiresNegative);
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) throw new IncompleteSignatureError(MESSAGE.expiresTooLong);
  return seconds;
}

/**
 * Refuses a request signed further in the future than the allowed skew, then either one signed further in
 * the past than the skew (header form, or a presigned URL without X-Amz-Expires) or a presigned URL past its
 * X-Amz-Expires (a URL valid for 0 seconds has expired by the time it arrives).
 */
export function checkRequestTime(
  time: RequestTime,
  expires: string | undefined,
  now: Date,
  maxSkewMs: number,
): void {
  const lifetimeSeconds = expires === undefined ? undefined : parseExpires(expires);
  const nowMs = now.getTime();
  const signedMs = time.requestDate.getTime();
  const minutes = maxSkewMs / 60_000;
  if (signedMs > nowMs + maxSkewMs) {
    const limit = formatAmzDate(new Date(nowMs + maxSkewMs));
    throw new SignatureExpiredError(
      MESSAGE.signatureNotYetCurrent(time.requestDateTime, limit, formatAmzDate(now), minutes),
    );
  }
  if (lifetimeSeconds === undefined) {
    if (signedMs < nowMs - maxSkewMs) {
      const limit = formatAmzDate(new Date(nowMs - maxSkewMs));
      throw new SignatureExpiredError(
        MESSAGE.signatureExpired(time.requestDateTime, limit, formatAmzDate(now), minutes),
      );
    }
    return;
  }
  if (lifetimeSeconds === 0 || nowMs > signedMs + lifetimeSeconds * 1000) {
    throw new SignatureExpiredError(MESSAGE.requestExpired);
  }
}
