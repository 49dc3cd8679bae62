/** `%XX` escapes of RFC 3986's unreserved characters: ALPHA, DIGIT, '-', '.', '_', '~'. */
const ESCAPED_UNRESERVED = /%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[DdEe]|5[Ff]|7[Ee])/g;

/**
 * The one path the gateway routes, authorizes (the method ARN), logs and passes to the function: the resource
 * path after `_user_request_`, with
 * - escaped unreserved characters decoded (`%61dmin` is `admin`: RFC 3986 section 6.2.2.2 makes them
 *   equivalent, https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2.2),
 * - then empty, `.` and `..` segments removed, so an escaped dot segment (`%2E%2E`) is a dot segment too,
 * - no trailing slash (API Gateway routes `/secret/` to the `/secret` resource).
 * Every other escape stays as sent (`%2F` never splits a segment, `%20` stays `%20`), as API Gateway keeps
 * them in the event's `path` and `pathParameters`. Without this, a router and a policy could read two paths
 * from one request: an explicit Deny on `GET/items/admin` would miss `/items/%61dmin`.
 */
export function routedPath(resourcePath: string): string {
  const kept: string[] = [];
  for (const rawSegment of resourcePath.split('/')) {
    const segment = rawSegment.includes('%')
      ? rawSegment.replace(ESCAPED_UNRESERVED, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)))
      : rawSegment;
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  return `/${kept.join('/')}`;
}
