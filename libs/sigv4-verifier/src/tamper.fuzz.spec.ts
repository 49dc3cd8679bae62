import { signRequest } from '@sigv4-auth/signed-fetch';
import fc from 'fast-check';
import type { SignedRequest, VerifyOptions } from './types';
import { verifySigV4 } from './verify-sigv4';

/**
 * Tamper fuzzing: requests signed by signed-fetch always verify, and changing one byte of what the signature
 * covers is always refused. Seeded, so a failure reproduces; FUZZ_RUNS raises the count (default 10,000).
 *
 * What counts as "the same request" follows AWS's canonical form (AWS SigV4 test suite, normalize-path vectors;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): header names are
 * case-insensitive, query values are compared decoded (so %2f and %2F are one value), and for every service but
 * S3 `.`/`..`/empty path segments are removed before signing. Mutations that AWS defines as equivalent are
 * therefore not generated as one-byte changes; the path traps below check those rules both ways.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const NOW = new Date('2026-11-26T12:00:00Z');
const CREDENTIALS = {
  accessKeyId: 'AKIDFUZZ',
  secretAccessKey: 'fuzz/secret/key',
  sessionToken: 'FuzzToken/+=',
};
const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const OPTIONS: VerifyOptions = {
  now: NOW,
  ...SCOPE,
  lookupCredential: (id) =>
    id === CREDENTIALS.accessKeyId
      ? { secretAccessKey: CREDENTIALS.secretAccessKey, sessionToken: CREDENTIALS.sessionToken }
      : undefined,
};

// Path segments with the usual traps in them: encoded characters, non-ASCII, mixed case, sub-delims.
const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/).filter((s) => s !== '.' && s !== '..'),
  fc.constantFrom(
    'café',
    'ünïcödé',
    '%2F',
    'a%20b',
    '%25',
    '%2f',
    'Ea',
    'e',
    "it's",
    'a+b',
    '(x)',
    '*',
    '%C3%A9',
  ),
);
const queryText = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,6}$/),
  fc.constantFrom('a b', 'x/y', 'ü', '=', '&', '+', '%'),
);
// Header values as they travel after canonicalisation: printable, no leading/trailing/double spaces.
const headerValue = fc.stringMatching(/^[!-~]([ !-~]{0,10}[!-~])?$/).filter((value) => !value.includes('  '));

const requests = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
  trailingSlash: fc.boolean(),
  query: fc.array(fc.tuple(queryText, queryText), { maxLength: 3 }),
  headers: fc.uniqueArray(
    fc.tuple(fc.constantFrom('x-a', 'x-b', 'x-trace-id', 'content-type'), headerValue),
    {
      maxLength: 3,
      selector: ([name]) => name,
    },
  ),
  body: fc.uint8Array({ maxLength: 64 }),
});

type Generated = typeof requests extends fc.Arbitrary<infer T> ? T : never;

/** Signs with signed-fetch and returns the request as it travels (what a server receives). */
async function signedWire(generated: Generated): Promise<SignedRequest> {
  // Segments with a '%' are already escapes and go on the wire as they are; the others are encoded once.
  const onWire = (s: string) => (s.includes('%') ? s : encodeURI(s));
  const path = `/${generated.segments.map(onWire).join('/')}${generated.trailingSlash ? '/' : ''}`;
  const query = generated.query
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const url = new URL(`https://api.example.com${path}${query ? `?${query}` : ''}`);
  const headers = Object.fromEntries(generated.headers);
  const signed = await signRequest(
    { method: generated.method, url, headers, body: generated.body },
    CREDENTIALS,
    SCOPE,
    { signingDate: NOW },
  );
  return {
    method: generated.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers: [['host', url.host], ...Object.entries(signed)],
    body: generated.body,
  };
}

const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));
const replace = (text: string, at: number, char: string) =>
  `${text.slice(0, at)}${char}${text.slice(at + 1)}`;
const isHexInEscape = (text: string, at: number) =>
  /[0-9A-Fa-f]/.test(text[at] ?? '') && (text[at - 1] === '%' || text[at - 2] === '%');

type Part =
  'method' | 'path' | 'query' | 'header name' | 'header value' | 'body' | 'date' | 'credential' | 'signature';
const PARTS: Part[] = [
  'method',
  'path',
  'query',
  'header name',
  'header value',
  'body',
  'date',
  'credential',
  'signature',
];

/** One byte of one part changed; undefined when that part is empty or the change would be AWS-equivalent. */
function tamper(request: SignedRequest, part: Part, pick: number, byte: number): SignedRequest | undefined {
  const headerIndex = (name: string) => request.headers.findIndex(([n]) => n.toLowerCase() === name);
  const setHeader = (index: number, name: string, value: string) =>
    request.headers.map((header, i) => (i === index ? ([name, value] as const) : header));
  const authorization = request.headers[headerIndex('authorization')]?.[1] ?? '';
  const changeIn = (
    text: string,
    from: number,
    to: number,
    allowed = PRINTABLE,
    skip?: (at: number) => boolean,
  ) => {
    if (to <= from) return undefined;
    const at = from + (pick % (to - from));
    if (skip?.(at)) return undefined;
    const choices = allowed.filter((c) => c !== text[at]);
    return replace(text, at, choices[byte % choices.length] as string);
  };
  switch (part) {
    case 'method': {
      const method = changeIn(request.method, 0, request.method.length, [
        ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      ]);
      return method === undefined ? undefined : { ...request, method };
    }
    case 'path': {
      // No '?', '#' or space: those end a path on the wire.
      const allowed = PRINTABLE.filter((c) => !'?#'.includes(c));
      const path = changeIn(request.path, 0, request.path.length, allowed);
      return path === undefined ? undefined : { ...request, path };
    }
    case 'query': {
      const allowed = PRINTABLE.filter((c) => c !== '#');
      const query = changeIn(request.query, 0, request.query.length, allowed, (at) =>
        isHexInEscape(request.query, at),
      );
      return query === undefined ? undefined : { ...request, query };
    }
    case 'header name': {
      const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
      const name = signed[pick % signed.length] as string;
      const index = headerIndex(name);
      const lower = [...'abcdefghijklmnopqrstuvwxyz0123456789-'];
      const renamed = changeIn(name, 0, name.length, lower); // lower case: a case change alone is the same header
      return renamed === undefined
        ? undefined
        : { ...request, headers: setHeader(index, renamed, request.headers[index]![1]) };
    }
    case 'header value': {
      const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
      const candidates = signed.filter((name) => !['x-amz-date', 'host'].includes(name));
      if (candidates.length === 0) return undefined;
      const index = headerIndex(candidates[pick % candidates.length] as string);
      const [name, value] = request.headers[index]!;
      const changed = changeIn(value, 0, value.length);
      return changed === undefined ? undefined : { ...request, headers: setHeader(index, name, changed) };
    }
    case 'body': {
      if (request.body.length === 0) return undefined;
      const body = new Uint8Array(request.body);
      const at = pick % body.length;
      body[at] = (body[at]! + 1 + (byte % 255)) % 256;
      return { ...request, body };
    }
    case 'date': {
      const index = headerIndex('x-amz-date');
      const value = request.headers[index]![1];
      const changed = changeIn(value, 0, value.length, [...'0123456789TZ']);
      return changed === undefined
        ? undefined
        : { ...request, headers: setHeader(index, 'x-amz-date', changed) };
    }
    case 'credential':
    case 'signature': {
      const index = headerIndex('authorization');
      const [from, to] =
        part === 'credential'
          ? [authorization.indexOf('Credential=') + 11, authorization.indexOf(',')]
          : [authorization.indexOf('Signature=') + 10, authorization.length];
      const allowed = part === 'signature' ? [...'0123456789abcdef'] : PRINTABLE.filter((c) => c !== ',');
      const changed = changeIn(authorization, from, to, allowed);
      return changed === undefined
        ? undefined
        : { ...request, headers: setHeader(index, 'Authorization', changed) };
    }
  }
}

describe('tamper fuzzing: signed-fetch signatures against the verifier', () => {
  it(`accepts every signed request and refuses every one-byte change (${RUNS} cases, zero false accepts)`, async () => {
    const refusedBy = new Map<string, number>();
    let tampered = 0;
    let escapesOnWire = 0;
    await fc.assert(
      fc.asyncProperty(
        requests,
        fc.constantFrom(...PARTS),
        fc.nat(),
        fc.nat(),
        async (generated, part, pick, byte) => {
          const request = await signedWire(generated);
          if (/%(2F|2f|20|25|C3)/.test(request.path)) escapesOnWire += 1;
          const original = verifySigV4(request, OPTIONS);
          if (!original.ok) throw new Error(`signed request refused: ${original.error.message}`);
          const changed = tamper(request, part, pick, byte);
          if (changed === undefined) return;
          tampered += 1;
          const result = verifySigV4(changed, OPTIONS);
          if (result.ok)
            throw new Error(`false accept after changing the ${part}: ${JSON.stringify(changed)}`);
          refusedBy.set(result.error.code, (refusedBy.get(result.error.code) ?? 0) + 1);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );

    // Assess: most cases really were tampered (not skipped as empty or equivalent), and the escape traps
    // really went on the wire as escapes.
    expect(tampered).toBeGreaterThan(RUNS * 0.8);
    expect(escapesOnWire).toBeGreaterThan(RUNS * 0.1);
    expect([...refusedBy.keys()]).toEqual(expect.arrayContaining(['SignatureDoesNotMatch']));
  }, 120_000);

  describe('path traps (one signed path, rewritten on the wire)', () => {
    const signedPath = async (path: string) => {
      const url = new URL(`https://api.example.com${path}`);
      const signed = await signRequest({ method: 'GET', url, headers: {} }, CREDENTIALS, SCOPE, {
        signingDate: NOW,
      });
      return (wirePath: string): SignedRequest => ({
        method: 'GET',
        path: wirePath,
        query: '',
        headers: [['host', url.host], ...Object.entries(signed)],
        body: new Uint8Array(),
      });
    };

    it.each([
      ['%65 for e', '/orders/e1', '/orders/%651'],
      ['a trailing slash added', '/orders/1', '/orders/1/'],
      ['a trailing slash removed', '/orders/1/', '/orders/1'],
      ['a case change', '/orders/abc', '/orders/aBc'],
      ['a case change in an escape', '/caf%C3%A9', '/caf%c3%a9'],
      ['double encoding', '/a%2Fb', '/a%252Fb'],
      ['decoding an escaped slash', '/a%2Fb', '/a/b'],
      ['non-ASCII sent as an escape of another character', '/caf%C3%A9', '/caf%C3%A8'],
      ['a segment dropped', '/orders/1/items', '/orders/items'],
    ])('refuses %s', async (_name, path, wirePath) => {
      // Act
      const result = verifySigV4((await signedPath(path))(wirePath), OPTIONS);

      // Assess
      expect(result).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
    });

    // AWS removes these before signing (test suite: get-relative, get-slashes, get-slash-dot-slash), so they
    // verify; the local cloud's gateway then routes the normalized path too (tools/local-cloud tests).
    it.each([
      ['/../ segments', '/orders/1', '/orders/x/../1'],
      ['// empty segments', '/orders/1', '/orders//1'],
      ['/./ segments', '/orders/1', '/orders/./1'],
    ])('accepts %s, which AWS normalizes away before signing', async (_name, path, wirePath) => {
      expect(verifySigV4((await signedPath(path))(wirePath), OPTIONS)).toMatchObject({ ok: true });
    });
  });
});
