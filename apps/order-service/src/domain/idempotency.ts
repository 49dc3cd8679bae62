import { createHash } from 'node:crypto';
import { BadRequestError } from '@sigv4-auth/lambda-http';
import type { NewOrder } from './order';

/** `Idempotency-Key`: 1 to 255 visible ASCII characters (the IETF draft's and Stripe's shape). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` (header names are case-insensitive), validated; undefined when absent. */
export function idempotencyKeyOf(
  headers: Record<string, string | undefined> | null | undefined,
): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key');
  if (entry === undefined || entry[1] === undefined) return undefined;
  if (!KEY.test(entry[1]))
    throw new BadRequestError('Idempotency-Key must be 1 to 255 visible ASCII characters');
  return entry[1];
}

/**
 * The order id for a caller's key: a UUID (version 8, "custom") from SHA-256 of caller and key. Deriving the id
 * makes DynamoDB's conditional put the whole guarantee: a replay or a concurrent duplicate of the same key
 * cannot write a second order, even if a Lambda died halfway. Keys are per caller, as at Stripe.
 */
export function orderIdFor(caller: string, key: string): string {
  const bytes = createHash('sha256').update(`${caller}\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What the key was first used for: the validated order input (so whitespace or key order do not count). */
export function requestHashOf(input: NewOrder): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}
