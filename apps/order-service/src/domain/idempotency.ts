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
 * Who owns a key: the IAM principal, not its session. `arn:aws:sts::A:assumed-role/R/S` becomes
 * `arn:aws:iam::A:role/R`, so a retry after a credential refresh, or from another replica of the same service
 * (another session name), finds its key again.
 */
export function keyOwnerOf(userArn: string): string {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(userArn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : userArn;
}

/**
 * Who owns an end user's key: their verified `sub`. Never an ARN, so never the owner of an IAM principal's keys;
 * and one user's key never finds another user's order.
 */
export function endUserKeyOwnerOf(sub: string): string {
  return `user-pool-sub:${sub}`;
}

/**
 * The id of the key's record in the orders table: a hash of owner and key, never an order id (those stay
 * random, so knowing someone's key does not tell their order id). Not a UUID, so `GET /orders/{id}` never
 * serves it.
 */
export function idempotencyRecordId(owner: string, key: string): string {
  return `idempotency#${createHash('sha256').update(`${owner}\n${key}`).digest('hex')}`;
}

/** What the key was first used for: the validated order input (so whitespace or key order do not count). */
export function requestHashOf(input: NewOrder): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}
