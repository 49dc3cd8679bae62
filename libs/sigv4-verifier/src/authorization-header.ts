import { MESSAGE } from './constants';
import { IncompleteSignatureError } from './errors';

export interface AuthorizationHeader {
  /** The first word, e.g. AWS4-HMAC-SHA256. */
  algorithm: string;
  /** Credential, SignedHeaders, Signature (and anything else sent), values as written. */
  parameters: ReadonlyMap<string, string>;
}

const LEADING_WHITESPACE = /^[ \t\r\n]+/;
const WHITESPACE = /[ \t\r\n]/;
// AWS splits the parameters on commas and on whitespace: "Credential=not valid/..." is answered with
// "'valid/...' not a valid key=value pair" (GitHub code search: "not a valid key=value pair").
const PARAMETER_SEPARATORS = /[ \t\r\n,]+/;

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`; throws IncompleteSignatureError. */
export function parseAuthorizationHeader(authorization: string): AuthorizationHeader {
  const value = authorization.replace(LEADING_WHITESPACE, '');
  const algorithmEnd = value.search(WHITESPACE);
  const parameters = new Map<string, string>();
  if (algorithmEnd < 0) return { algorithm: value, parameters };
  for (const token of value.slice(algorithmEnd).split(PARAMETER_SEPARATORS)) {
    if (token === '') continue;
    const equals = token.indexOf('=');
    if (equals < 0) throw new IncompleteSignatureError(MESSAGE.notKeyValuePair(token, authorization));
    const name = token.slice(0, equals);
    if (parameters.has(name)) throw new IncompleteSignatureError(MESSAGE.repeatedParameter(name));
    parameters.set(name, token.slice(equals + 1));
  }
  return { algorithm: value.slice(0, algorithmEnd), parameters };
}
