import { BadRequestError } from '@sigv4-auth/lambda-http';
import type { Order } from './order';

/**
 * Where a page of a listing ends: the index key of its last order (DynamoDB's LastEvaluatedKey). `ownerSub` is the
 * listing's partition: the owner's `sub` for `/me`, `ALL_ORDERS` for the staff listing of every order.
 */
export interface OwnerIndexKey {
  id: string;
  ownerSub: string;
  createdAt: string;
}

/** The partition of the staff listing (`GET /admin/orders`): every order is in it. */
export const ALL_ORDERS = 'all-orders';

/** A page of one owner's orders, newest first. */
export interface OrderPage {
  orders: Order[];
  /** Absent on the last page. */
  next?: OwnerIndexKey;
}

export interface PageRequest {
  limit: number;
  after?: OwnerIndexKey;
}

export const PAGE_LIMITS = { default: 20, max: 100 } as const;

const LIMIT = /^[1-9][0-9]{0,2}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,512}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `?limit=&nextToken=` of `GET /me/orders`, for the owner `ownerSub`; anything malformed is a 400. */
export function parsePageRequest(
  query: Record<string, string | undefined> | null | undefined,
  ownerSub: string,
): PageRequest {
  const limitText = query?.limit;
  const limit = limitText === undefined ? PAGE_LIMITS.default : Number(limitText);
  if (limitText !== undefined && (!LIMIT.test(limitText) || limit > PAGE_LIMITS.max))
    throw new BadRequestError(`limit must be an integer from 1 to ${PAGE_LIMITS.max}`);
  const token = query?.nextToken;
  return token === undefined ? { limit } : { limit, after: pageKeyOf(token, ownerSub) };
}

/**
 * The opaque `nextToken` for a page that ends at `key`: base64url of the key. It needs no signature: it only says
 * where in the owner's own index to go on, and `parsePageRequest` takes it only from that owner, so a token
 * cannot open another user's listing (DynamoDB would refuse such a start key anyway, as a 500).
 */
export function pageTokenOf(key: OwnerIndexKey): string {
  return Buffer.from(
    JSON.stringify({ id: key.id, ownerSub: key.ownerSub, createdAt: key.createdAt }),
  ).toString('base64url');
}

/** A token `pageTokenOf` made for this owner, to the byte (so no other spelling of a key passes), or a 400. */
function pageKeyOf(token: string, ownerSub: string): OwnerIndexKey {
  const invalid = new BadRequestError('nextToken is not one this listing issued');
  if (!TOKEN.test(token)) throw invalid;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw new BadRequestError(invalid.message, { cause: error });
  }
  const candidate = key as Partial<OwnerIndexKey> | null;
  if (
    typeof candidate?.id !== 'string' ||
    !UUID.test(candidate.id) ||
    typeof candidate.createdAt !== 'string' ||
    !TIMESTAMP.test(candidate.createdAt) ||
    candidate.ownerSub !== ownerSub
  )
    throw invalid;
  const parsed = { id: candidate.id, ownerSub, createdAt: candidate.createdAt };
  if (pageTokenOf(parsed) !== token) throw invalid;
  return parsed;
}
