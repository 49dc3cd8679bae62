import { createHash } from 'node:crypto';
import type { SignedRequest } from './types';

/** RFC 3986 encoding with only the unreserved set left alone, as SigV4 requires. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical URI. Normalised (non-S3) services remove empty, `.` and `..` segments and encode the path
 * as it came over the wire once more - which is why AWS SDKs "double-encode" paths for execute-api.
 */
export function canonicalUri(path: string, normalize: boolean): string {
  if (!normalize)
    return path
      .split('/')
      .map((segment) => uriEncode(safeDecode(segment)))
      .join('/');
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Parameters decoded then re-encoded (RFC 3986), sorted by key then value; `exclude` drops X-Amz-Signature. */
export function canonicalQuery(query: string, exclude?: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const key = safeDecode(equals < 0 ? part : part.slice(0, equals));
    if (key === exclude) continue;
    pairs.push([uriEncode(key), uriEncode(safeDecode(equals < 0 ? '' : part.slice(equals + 1)))]);
  }
  pairs.sort(([keyA, valueA], [keyB, valueB]) =>
    keyA < keyB ? -1 : keyA > keyB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0,
  );
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** All values of a header (case-insensitive), trimmed, inner whitespace collapsed, joined with ','. */
export function headerValues(request: SignedRequest, name: string): string | undefined {
  const values = request.headers
    .filter(([headerName]) => headerName.toLowerCase() === name)
    .map(([, value]) => value.trim().replace(/\s+/g, ' '));
  return values.length === 0 ? undefined : values.join(',');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function buildCanonicalRequest(
  request: SignedRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
  normalize: boolean,
  excludeQueryKey?: string,
): string {
  const headers = signedHeaders.map((name) => `${name}:${headerValues(request, name) ?? ''}\n`).join('');
  return [
    request.method,
    canonicalUri(request.path, normalize),
    canonicalQuery(request.query, excludeQueryKey),
    headers,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}
