import { uriEncode, uriEncodeKeepingEscapes } from './percent-encoding';

/**
 * The CanonicalURI line. Normalised services (everything but S3) drop empty, '.' and '..' segments and encode
 * each wire segment once more - which is why SDKs "double-encode": `%20` on the wire signs as `%2520`.
 * S3 style keeps the path as sent (valid escapes untouched), only encoding characters sent raw.
 */
export function canonicalUri(path: string, normalizePath: boolean): string {
  if (path === '' || path === '/') return '/';
  const segments = path.split('/');
  if (!normalizePath) return segments.map(uriEncodeKeepingEscapes).join('/');
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(uriEncode(segment));
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = kept.length > 0 && path.endsWith('/') ? '/' : '';
  return `${leading}${kept.join('/')}${trailing}`;
}
