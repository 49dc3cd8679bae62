import { canonicalQueryComponent } from './percent-encoding';
import type { QueryParam } from './query-params';

function byKeyThenValue(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/**
 * The CanonicalQueryString line: every key and value decoded then re-encoded (RFC 3986), sorted by key then
 * value. `excludedKeys` are compared in canonical form (X-Amz-Signature in presigned URLs is not signed).
 */
export function canonicalQuery(params: readonly QueryParam[], excludedKeys: ReadonlySet<string>): string {
  const pairs: Array<[string, string]> = [];
  for (const { rawKey, rawValue } of params) {
    const key = canonicalQueryComponent(rawKey);
    if (!excludedKeys.has(key)) pairs.push([key, canonicalQueryComponent(rawValue)]);
  }
  // Encoded text is ASCII, so code-unit order is the byte order AWS sorts by.
  pairs.sort(byKeyThenValue);
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}
