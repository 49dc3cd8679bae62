import { HTTP_WHITESPACE_RUN } from './constants';

/** Header values by lower-case name, in arrival order. */
export type HeaderIndex = ReadonlyMap<string, readonly string[]>;

const UPPER_CASE_ASCII = /[A-Z]+/g;

/** Lower-cases ASCII letters only: `toLowerCase` alone would fold e.g. U+212A KELVIN SIGN into 'k'. */
export function asciiLowerCase(text: string): string {
  let hasUpperCase = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 128) return text.replace(UPPER_CASE_ASCII, (letters) => letters.toLowerCase());
    if (code >= 0x41 && code <= 0x5a) hasUpperCase = true;
  }
  // Pure ASCII (every header name in practice): toLowerCase is then exactly ASCII lower-casing, and fast.
  return hasUpperCase ? text.toLowerCase() : text;
}

export function indexHeaders(headers: ReadonlyArray<readonly [string, string]>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = asciiLowerCase(name);
    const values = index.get(key);
    if (values) values.push(value);
    else index.set(key, [value]);
  }
  return index;
}

/** True when `value` has no tab, CR or LF, no two spaces in a row and none at either end: already canonical. */
function isCanonicalValue(value: string): boolean {
  const last = value.length - 1;
  for (let i = 0; i <= last; i += 1) {
    const code = value.charCodeAt(i);
    if (code === 0x09 || code === 0x0a || code === 0x0d) return false;
    if (code === 0x20 && (i === 0 || i === last || value.charCodeAt(i + 1) === 0x20)) return false;
  }
  return true;
}

function canonicalValue(value: string): string {
  // Nearly every value is canonical already: checked without a regular expression or a copy.
  if (isCanonicalValue(value)) return value;
  const collapsed = value.replace(HTTP_WHITESPACE_RUN, ' ');
  const start = collapsed.startsWith(' ') ? 1 : 0;
  const end = collapsed.endsWith(' ') ? collapsed.length - 1 : collapsed.length;
  return collapsed.slice(start, Math.max(start, end));
}

/** Each value trimmed with inner whitespace runs (folded lines too) collapsed to one space; joined with ','. */
export function canonicalHeaderValue(values: readonly string[]): string {
  if (values.length === 1) return canonicalValue(values[0] as string);
  return values.map(canonicalValue).join(',');
}

/** A header's canonical value, or undefined when it is absent or blank. */
export function headerText(headers: HeaderIndex, name: string): string | undefined {
  const values = headers.get(name);
  const text = values === undefined ? '' : canonicalHeaderValue(values);
  return text === '' ? undefined : text;
}

/** The CanonicalHeaders block: one `name:value\n` line per signed header, in SignedHeaders order. */
export function canonicalHeaders(signedHeaders: readonly string[], headers: HeaderIndex): string {
  let block = '';
  for (const name of signedHeaders) {
    block += `${name}:${canonicalHeaderValue(headers.get(asciiLowerCase(name)) ?? [])}\n`;
  }
  return block;
}
