import path from 'node:path';
import { SCOPE_TERMINATOR } from './constants';
import { optionsFor, toSignedRequest, vectors, type SigV4Vector } from './testing/aws-test-suite';
import type { SignedRequest } from './types';
import { verifySigV4 } from './verify-sigv4';

// AWS's official SigV4 test suite: "a verifier must accept every signed request and reject any one-byte
// change to it". Every byte of method, path, query, each header name and value (Authorization, X-Amz-Date,
// credential, signature and token included) and body is replaced by: its neighbour and its other letter case
// (a byte the signature does not cover shows with any change), and the separators, escapes and whitespace that
// canonicalisation treats specially (a change it wrongly takes for the same request): all of them where the
// byte is one of them itself, two in rotation elsewhere. ~120,000 checks in a few seconds;
// SIGV4_EXHAUSTIVE=1 tries all 255 other values of every byte instead (about 7 million, minutes).
const EXHAUSTIVE = process.env.SIGV4_EXHAUSTIVE === '1';
const TIMEOUT_MS = EXHAUSTIVE ? 30 * 60_000 : 60_000;
// tab, space, " % & + , . / ; = ~ and a non-ASCII byte
const SPECIAL = [0x09, 0x20, 0x22, 0x25, 0x26, 0x2b, 0x2c, 0x2e, 0x2f, 0x3b, 0x3d, 0x7e, 0xff];

function replacementsFor(byte: number, index: number): number[] {
  let candidates: number[];
  if (EXHAUSTIVE) candidates = Array.from({ length: 256 }, (_, value) => value);
  else if (SPECIAL.includes(byte)) candidates = [...SPECIAL, byte ^ 0x01, byte ^ 0x20];
  else {
    const rotation = [SPECIAL[index % SPECIAL.length], SPECIAL[(index * 5 + 3) % SPECIAL.length]] as number[];
    candidates = [byte ^ 0x01, byte ^ 0x20, ...rotation];
  }
  return [...new Set(candidates)].filter((candidate) => candidate !== byte);
}

const HTTP_WHITESPACE = new Set([0x09, 0x0a, 0x0d, 0x20]);
const AUTHORIZATION_SEPARATORS = new Set([...HTTP_WHITESPACE, 0x2c]);
const isAsciiLetter = (byte: number) => (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a;
const isHexDigit = (byte: number) =>
  (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66);

/**
 * One-byte changes AWS itself treats as the same request. Refusing them would be wrong, so they are left out
 * - each for the reason given - and never silently.
 */
const SAME_REQUEST_FOR_AWS = {
  headerNameCase: 'header names are case-insensitive',
  headerWhitespace: 'runs of whitespace in a header value collapse to one space and are trimmed',
  authorizationSeparator: 'Authorization parameters are separated by any run of commas and whitespace',
  credentialTrailingSlash: 'AWS ignores trailing slashes of the Credential (architect/dynalite index.js)',
  unsignedHeader: 'a header outside SignedHeaders is not covered by the signature',
  normalisedPath: "the path signs after removing empty, '.' and '..' segments (same result: same request)",
  escapeHexCase: 'query escapes are decoded before signing, so %2f and %2F are the same byte',
} as const;

type Exclusion = (index: number, replacement: number) => string | undefined;

interface Field {
  name: string;
  bytes: Buffer;
  rebuild(bytes: Buffer): SignedRequest;
  sameRequest: Exclusion;
}

const never: Exclusion = () => undefined;

function escapeHexCase(bytes: Buffer): Exclusion {
  return (index, replacement) => {
    const original = bytes[index] as number;
    const inEscape =
      (bytes[index - 1] === 0x25 && isHexDigit(bytes[index + 1] ?? 0)) ||
      (bytes[index - 2] === 0x25 && isHexDigit(bytes[index - 1] ?? 0));
    return inEscape && isHexDigit(original) && isAsciiLetter(original) && replacement === (original ^ 0x20)
      ? SAME_REQUEST_FOR_AWS.escapeHexCase
      : undefined;
  };
}

function normalisedPath(bytes: Buffer, normalize: boolean): Exclusion {
  if (!normalize) return never;
  // path.posix.normalize is an independent implementation of dot-segment removal and slash collapsing.
  const original = path.posix.normalize(bytes.toString('utf8'));
  return (index, replacement) => {
    const changed = Buffer.from(bytes);
    changed[index] = replacement;
    return path.posix.normalize(changed.toString('utf8')) === original
      ? SAME_REQUEST_FOR_AWS.normalisedPath
      : undefined;
  };
}

function signedHeaderNames(request: SignedRequest, form: 'headerSigned' | 'querySigned'): string[] {
  if (form === 'querySigned') {
    const value = /(?:^|&)X-Amz-SignedHeaders=([^&]*)/.exec(request.query)?.[1] ?? '';
    return decodeURIComponent(value).split(';');
  }
  const authorization = request.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  return (/SignedHeaders=([^,\s]*)/.exec(authorization)?.[1] ?? '').split(';');
}

function fieldsOf(request: SignedRequest, vector: SigV4Vector, signedNames: readonly string[]): Field[] {
  const text = (bytes: Buffer, encoding: BufferEncoding) => bytes.toString(encoding);
  const pathBytes = Buffer.from(request.path, 'utf8');
  const queryBytes = Buffer.from(request.query, 'utf8');
  const fields: Field[] = [
    {
      name: 'method',
      bytes: Buffer.from(request.method, 'latin1'),
      rebuild: (bytes) => ({ ...request, method: text(bytes, 'latin1') }),
      sameRequest: never,
    },
    {
      name: 'path',
      bytes: pathBytes,
      rebuild: (bytes) => ({ ...request, path: text(bytes, 'utf8') }),
      sameRequest: normalisedPath(pathBytes, vector.context.normalize),
    },
    {
      name: 'query',
      bytes: queryBytes,
      rebuild: (bytes) => ({ ...request, query: text(bytes, 'utf8') }),
      sameRequest: escapeHexCase(queryBytes),
    },
    {
      name: 'body',
      bytes: Buffer.from(request.body),
      rebuild: (bytes) => ({ ...request, body: bytes }),
      sameRequest: never,
    },
  ];
  request.headers.forEach(([name, value], position) => {
    const lower = name.toLowerCase();
    // The token is checked against the credential even when unsigned, so it stays under test.
    const covered =
      signedNames.includes(lower) || lower === 'authorization' || lower === 'x-amz-security-token';
    const withHeader = (pair: readonly [string, string]) => ({
      ...request,
      headers: request.headers.map((header, index) => (index === position ? pair : header)),
    });
    const nameBytes = Buffer.from(name, 'latin1');
    const valueBytes = Buffer.from(value, 'latin1');
    const algorithmEnd = lower === 'authorization' ? value.search(/\s/) : -1;
    const credentialEnd =
      lower === 'authorization' ? value.indexOf(SCOPE_TERMINATOR) + SCOPE_TERMINATOR.length : -1;
    fields.push(
      {
        name: `header ${name} name`,
        bytes: nameBytes,
        rebuild: (bytes) => withHeader([text(bytes, 'latin1'), value]),
        sameRequest: (index, replacement) => {
          if (!covered) return SAME_REQUEST_FOR_AWS.unsignedHeader;
          const original = nameBytes[index] as number;
          return isAsciiLetter(original) && replacement === (original ^ 0x20)
            ? SAME_REQUEST_FOR_AWS.headerNameCase
            : undefined;
        },
      },
      {
        name: `header ${name} value`,
        bytes: valueBytes,
        rebuild: (bytes) => withHeader([name, text(bytes, 'latin1')]),
        sameRequest: (index, replacement) => {
          if (!covered) return SAME_REQUEST_FOR_AWS.unsignedHeader;
          const original = valueBytes[index] as number;
          if (HTTP_WHITESPACE.has(original) && HTTP_WHITESPACE.has(replacement)) {
            return SAME_REQUEST_FOR_AWS.headerWhitespace;
          }
          if (index === credentialEnd && replacement === 0x2f)
            return SAME_REQUEST_FOR_AWS.credentialTrailingSlash;
          const separators = AUTHORIZATION_SEPARATORS;
          if (
            algorithmEnd >= 0 &&
            index > algorithmEnd &&
            separators.has(original) &&
            separators.has(replacement)
          ) {
            return SAME_REQUEST_FOR_AWS.authorizationSeparator;
          }
          return undefined;
        },
      },
    );
  });
  return fields;
}

const forms = ['headerSigned', 'querySigned'] as const;
const cases = vectors.flatMap((vector) => forms.map((form) => [vector.name, form, vector] as const));

describe('verifySigV4 against the AWS SigV4 test suite', () => {
  it('finds the whole suite', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(38);
  });

  it.each(cases)('%s: accepts the %s request at its timestamp', (_name, form, vector) => {
    // Act
    const result = verifySigV4(toSignedRequest(vector[form]), optionsFor(vector));

    // Assess
    expect(result).toMatchObject({ ok: true, form: form === 'headerSigned' ? 'header' : 'query' });
  });

  it.each(cases)(
    '%s: refuses every one-byte change of the %s request',
    (_name, form, vector) => {
      // Prepare
      const request = toSignedRequest(vector[form]);
      const options = optionsFor(vector);
      const fields = fieldsOf(request, vector, signedHeaderNames(request, form));
      const accepted: string[] = [];
      let attempts = 0;

      // Act
      for (const field of fields) {
        for (let index = 0; index < field.bytes.length; index += 1) {
          for (const replacement of replacementsFor(field.bytes[index] as number, index)) {
            if (field.sameRequest(index, replacement) !== undefined) continue;
            const changed = Buffer.from(field.bytes);
            changed[index] = replacement;
            attempts += 1;
            if (verifySigV4(field.rebuild(changed), options).ok) {
              accepted.push(`${field.name}[${index}] 0x${replacement.toString(16)}`);
            }
          }
        }
      }

      // Assess
      expect(attempts).toBeGreaterThan(300);
      expect(accepted).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
