import { percentDecodeToString } from './percent-encoding';

/** One `key=value` of the query, exactly as on the wire. */
export interface QueryParam {
  readonly rawKey: string;
  readonly rawValue: string;
}

/** Splits on '&' then on the first '='; a key without '=' has an empty value, empty parts are dropped. */
export function splitQuery(query: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (query === '') return params;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    params.push(
      equals < 0
        ? { rawKey: part, rawValue: '' }
        : { rawKey: part.slice(0, equals), rawValue: part.slice(equals + 1) },
    );
  }
  return params;
}

/**
 * Decoded values of the parameters whose decoded key starts with `prefix` (AWS reads `X-Amz-*` decoded,
 * so `X-Amz-Credential=AKID%2F20150830...` means `AKID/20150830...`).
 */
export function decodedParams(params: readonly QueryParam[], prefix: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const { rawKey, rawValue } of params) {
    const key = percentDecodeToString(rawKey);
    if (!key.startsWith(prefix)) continue;
    const value = percentDecodeToString(rawValue);
    const values = found.get(key);
    if (values) values.push(value);
    else found.set(key, [value]);
  }
  return found;
}
