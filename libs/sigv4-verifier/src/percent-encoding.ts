import { UNRESERVED_CHARACTERS } from './constants';

const HEX_DIGITS = '0123456789ABCDEF';
const PERCENT = 0x25;
const UNRESERVED = new Uint8Array(128);
for (let i = 0; i < UNRESERVED_CHARACTERS.length; i += 1) UNRESERVED[UNRESERVED_CHARACTERS.charCodeAt(i)] = 1;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function isEscapeAt(text: string, index: number): boolean {
  return (
    text.charCodeAt(index) === PERCENT &&
    hexValue(text.charCodeAt(index + 1)) >= 0 &&
    hexValue(text.charCodeAt(index + 2)) >= 0
  );
}

/** An RFC 3986 unreserved character's code (letters, digits, '-', '.', '_', '~'). */
export function isUnreservedCode(code: number): boolean {
  return code < 128 && UNRESERVED[code] === 1;
}

/** True when nothing in `text` needs encoding: the common case, answered without allocating. */
export function isUnreservedText(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (!isUnreservedCode(text.charCodeAt(i))) return false;
  return true;
}

/** RFC 3986 encoding of raw bytes: unreserved bytes kept, every other byte as %XX (upper-case hex). */
export function encodeBytes(bytes: Uint8Array): string {
  let encoded = '';
  for (const byte of bytes) {
    encoded += isUnreservedCode(byte)
      ? String.fromCharCode(byte)
      : `%${HEX_DIGITS.charAt(byte >> 4)}${HEX_DIGITS.charAt(byte & 15)}`;
  }
  return encoded;
}

const RESERVED_BY_RFC_3986_ONLY = /[!'()*]/g;
const hexEscape = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`;

/** Encodes the UTF-8 bytes of `text`; a '%' is encoded too (this is how SigV4 "double-encodes" paths). */
export function uriEncode(text: string): string {
  if (isUnreservedText(text)) return text;
  try {
    // The native encoder is the fast path; it leaves !'()* alone, which RFC 3986 does not.
    return encodeURIComponent(text).replace(RESERVED_BY_RFC_3986_ONLY, hexEscape);
  } catch {
    // A lone surrogate: Buffer.from encodes it as U+FFFD instead of throwing.
    return encodeBytes(Buffer.from(text, 'utf8'));
  }
}

/**
 * Like `uriEncode`, but valid %XX escapes are kept as sent: S3-style services sign the path their client
 * already encoded once, while raw characters on the wire still need encoding.
 */
export function uriEncodeKeepingEscapes(text: string): string {
  if (isUnreservedText(text)) return text;
  let encoded = '';
  let runStart = 0;
  let i = 0;
  while (i < text.length) {
    if (isEscapeAt(text, i)) {
      encoded += uriEncode(text.slice(runStart, i)) + text.slice(i, i + 3);
      i += 3;
      runStart = i;
    } else {
      i += 1;
    }
  }
  return encoded + uriEncode(text.slice(runStart));
}

/**
 * The bytes `text` stands for: valid %XX escapes decoded, everything else (a stray '%' and a '+' included)
 * taken literally as UTF-8. Lenient like AWS's query parsing, and never throws.
 */
export function percentDecode(text: string): Uint8Array {
  if (!text.includes('%')) return Buffer.from(text, 'utf8');
  const chunks: Uint8Array[] = [];
  let escaped: number[] = [];
  let runStart = 0;
  let i = 0;
  while (i < text.length) {
    if (!isEscapeAt(text, i)) {
      i += 1;
      continue;
    }
    if (runStart < i) {
      if (escaped.length > 0) chunks.push(Uint8Array.from(escaped));
      escaped = [];
      chunks.push(Buffer.from(text.slice(runStart, i), 'utf8'));
    }
    escaped.push(hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2)));
    i += 3;
    runStart = i;
  }
  if (escaped.length > 0) chunks.push(Uint8Array.from(escaped));
  if (runStart < text.length) chunks.push(Buffer.from(text.slice(runStart), 'utf8'));
  return Buffer.concat(chunks);
}

/** The native decoder, or undefined where it throws (a stray '%', escapes that are not UTF-8). */
function decodeNatively(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** `percentDecode` as text (invalid UTF-8 becomes U+FFFD). */
export function percentDecodeToString(text: string): string {
  if (!text.includes('%')) return text;
  return decodeNatively(text) ?? Buffer.from(percentDecode(text)).toString('utf8');
}

/** Decodes then re-encodes one query component, so every spelling of the same bytes signs the same. */
export function canonicalQueryComponent(raw: string): string {
  if (isUnreservedText(raw)) return raw;
  if (!raw.includes('%')) return uriEncode(raw);
  // Valid UTF-8 round-trips through text; anything else is re-encoded byte by byte.
  const decoded = decodeNatively(raw);
  return decoded === undefined ? encodeBytes(percentDecode(raw)) : uriEncode(decoded);
}
