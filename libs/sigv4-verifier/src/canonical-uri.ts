import { isUnreservedCode, uriEncode, uriEncodeKeepingEscapes } from './percent-encoding';

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * True when normalising and encoding would leave `path` as it is (most paths): only unreserved characters and
 * slashes, no empty segment but a leading or trailing one, no '.' or '..' segment. Checked in one pass, without
 * splitting.
 */
function isNormalUnreservedPath(path: string): boolean {
  let segmentStart = 0;
  for (let i = 0; i <= path.length; i += 1) {
    const code = i === path.length ? SLASH : path.charCodeAt(i);
    if (code !== SLASH) {
      if (!isUnreservedCode(code)) return false;
      continue;
    }
    const length = i - segmentStart;
    const leadingOrTrailing = segmentStart === 0 || i === path.length;
    if (length === 0 && !leadingOrTrailing) return false;
    if (length === 1 && path.charCodeAt(segmentStart) === DOT) return false;
    if (length === 2 && path.charCodeAt(segmentStart) === DOT && path.charCodeAt(segmentStart + 1) === DOT)
      return false;
    segmentStart = i + 1;
  }
  return true;
}

/**
 * The path with empty, '.' and '..' segments removed (escapes kept), as SigV4 normalises it for every service
 * but S3: the path a signature covers. A gateway must route this same path, or a signed `/a/b` could be
 * replayed as `/a/x/../b` and reach whatever a router makes of the raw form.
 */
export function normalizedPath(path: string): string {
  if (path === '' || path === '/') return '/';
  const kept: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  const trailing = kept.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${kept.join('/')}${trailing}`;
}

/**
 * The CanonicalURI line. Normalised services (everything but S3) drop empty, '.' and '..' segments and encode
 * each wire segment once more - which is why SDKs "double-encode": `%20` on the wire signs as `%2520`.
 * S3 style keeps the path as sent (valid escapes untouched), only encoding characters sent raw.
 */
export function canonicalUri(path: string, normalizePath: boolean): string {
  if (path === '' || path === '/') return '/';
  if (!normalizePath) return path.split('/').map(uriEncodeKeepingEscapes).join('/');
  if (isNormalUnreservedPath(path)) return path;
  const normalized = normalizedPath(path);
  const encoded = normalized.split('/').map(uriEncode).join('/');
  return path.startsWith('/') ? encoded : encoded.slice(1);
}
