import { createHmac } from 'node:crypto';

const MAX_CACHED_KEYS = 256;
const cache = new Map<string, Buffer>();

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached:
 * it only changes once a day per key and scope, and four HMACs per request are most of the cost.
 */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secretAccessKey}\u0000${date}\u0000${region}\u0000${service}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, key);
  return key;
}
