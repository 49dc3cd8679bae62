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

/** Each value trimmed with inner whitespace runs (folded lines too) collapsed to one space; joined with ','. */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values
    .map((value) => {
      const collapsed = value.replace(HTTP_WHITESPACE_RUN, ' ');
      const start = collapsed.startsWith(' ') ? 1 : 0;
      const end = collapsed.endsWith(' ') ? collapsed.length - 1 : collapsed.length;
      return collapsed.slice(start, Math.max(start, end));
    })
    .join(',');
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
