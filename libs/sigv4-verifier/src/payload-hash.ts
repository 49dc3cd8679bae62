import { EMPTY_BODY_SHA256, MESSAGE, UNSIGNED_PAYLOAD } from './constants';
import { sha256Hex } from './crypto';
import { SignatureDoesNotMatchError } from './errors';

/**
 * The HashedPayload line: always the hash of the body actually received. A declared x-amz-content-sha256
 * must agree, or a valid signature would cover a swapped body; UNSIGNED-PAYLOAD is S3's opt-out only.
 */
export function payloadHash(body: Uint8Array, declared: string | undefined, normalizePath: boolean): string {
  const computed = body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
  if (declared === undefined || declared === computed) return computed;
  if (declared === UNSIGNED_PAYLOAD && !normalizePath) return UNSIGNED_PAYLOAD;
  // S3 answers 400 XAmzContentSHA256Mismatch.
  throw new SignatureDoesNotMatchError(MESSAGE.contentSha256Mismatch, { status: 400 });
}
