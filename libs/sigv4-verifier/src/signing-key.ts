import { SCOPE_TERMINATOR } from './constants';
import { hmacSha256 } from './crypto';

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const dateKey = hmacSha256(`AWS4${secretAccessKey}`, date);
  const regionKey = hmacSha256(dateKey, region);
  const serviceKey = hmacSha256(regionKey, service);
  return hmacSha256(serviceKey, SCOPE_TERMINATOR);
}

/**
 * Least-recently-used cache of derived keys: they change once a day per key and scope, and four of the five
 * HMACs of a verification go into deriving them.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();

  public constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`SigningKeyCache needs a positive integer size, got ${maxEntries}`);
    }
  }

  public get size(): number {
    return this.entries.size;
  }

  public get(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    // NUL cannot occur in a scope that passed the scope checks, so distinct inputs never share a key.
    const cacheKey = `${date}\u0000${region}\u0000${service}\u0000${secretAccessKey}`;
    const cached = this.entries.get(cacheKey);
    if (cached) {
      // Re-inserting moves the entry to the young end of the Map's insertion order.
      this.entries.delete(cacheKey);
      this.entries.set(cacheKey, cached);
      return cached;
    }
    const key = deriveSigningKey(secretAccessKey, date, region, service);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(cacheKey, key);
    return key;
  }
}
