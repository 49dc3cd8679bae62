import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** One-shot `crypto.hash` (Node >= 20.12) skips the Hash object: noticeably faster on small inputs. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

export function hmacSha256(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Compares without revealing, through timing, how much of a secret-derived value an attacker guessed.
 * Lengths may differ safely: a signature's length (64 hex characters) is no secret.
 */
export function constantTimeEquals(expected: string, provided: string): boolean {
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(provided, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
