import { presignRequest, signRequest, type RequestToSign } from '@sigv4-auth/signed-fetch';
import type { CredentialRecord, SignedRequest, VerifyOptions } from './types';
import { verifySigV4 } from './verify-sigv4';

// Cross-check with an independent signer: the AWS SDK's own (@smithy/signature-v4), through signed-fetch's
// signing functions (header and presigned forms), as our services and CLI call it.
const NOW = new Date('2026-01-02T03:04:05Z');
const REGION = 'us-east-1';
const USER = { accessKeyId: 'AKIDLOCALUSER', secretAccessKey: 'local/user+secret=key' };
const SESSION = {
  accessKeyId: 'ASIALOCALSESSION',
  secretAccessKey: 'session/secret',
  sessionToken: 'FwoGZXIvYXdzE+session/token==',
};
const RECORDS = new Map<string, CredentialRecord>([
  [USER.accessKeyId, { secretAccessKey: USER.secretAccessKey }],
  [SESSION.accessKeyId, { secretAccessKey: SESSION.secretAccessKey, sessionToken: SESSION.sessionToken }],
]);

type Credentials = typeof USER | typeof SESSION;

interface SignInput {
  url: string;
  method?: string;
  body?: string;
  credentials?: Credentials;
  service?: string;
}

function unsignedRequest(input: SignInput): RequestToSign {
  const body = input.body === undefined ? undefined : Buffer.from(input.body, 'utf8');
  return {
    method: input.method ?? 'GET',
    url: new URL(input.url),
    headers: body ? { 'content-type': 'application/json' } : {},
    body,
  };
}

/** As an HTTP server receives it: the wire path is `URL.pathname`, the wire query `URL.search` without '?'. */
function asReceived(url: URL, headers: Record<string, string>, request: RequestToSign): SignedRequest {
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers: [['host', url.host], ...Object.entries(headers)],
    body: request.body ?? new Uint8Array(0),
  };
}

async function signWithHeader(input: SignInput): Promise<SignedRequest> {
  const request = unsignedRequest(input);
  const headers = await signRequest(request, input.credentials ?? USER, scopeOf(input), { signingDate: NOW });
  return asReceived(request.url, { ...request.headers, ...headers }, request);
}

async function presign(input: SignInput): Promise<SignedRequest> {
  const request = unsignedRequest(input);
  const url = await presignRequest(request, input.credentials ?? USER, scopeOf(input), {
    signingDate: NOW,
    expiresInSeconds: 300,
  });
  return asReceived(url, request.headers, request);
}

function scopeOf(input: SignInput) {
  return { region: REGION, service: input.service ?? 'execute-api' };
}

function optionsFor(input: SignInput): VerifyOptions {
  return {
    now: NOW,
    service: input.service ?? 'execute-api',
    region: REGION,
    lookupCredential: (accessKeyId) => RECORDS.get(accessKeyId),
  };
}

const API = 'https://abc123.execute-api.us-east-1.amazonaws.com';

const CASES: Array<[string, SignInput]> = [
  ['a space in the path', { url: `${API}/prod/customers/a b` }],
  ['an escaped slash in the path', { url: `${API}/prod/files/a%2Fb` }],
  ['non-ASCII path segments', { url: `${API}/prod/café/ሴ/😀` }],
  ['reserved characters in the path', { url: `${API}/prod/reserved/!$&'()*+,;=:@~` }],
  ['empty and dot segments', { url: `${API}/prod//customers/./42/` }],
  ['repeated query keys', { url: `${API}/prod/customers?a=1&b=2&a=0&a=10` }],
  ['reserved characters in the query', { url: `${API}/prod/search?q=a b&r=a+b&s=%2F&t=*~!()&u=%7e&flag&x=` }],
  ['non-ASCII query keys and values', { url: `${API}/prod/search?name=José&ሴ=✓` }],
  ['a JSON body', { url: `${API}/prod/orders`, method: 'POST', body: '{"customerId":"42","note":"ü"}' }],
  ['session credentials', { url: `${API}/prod/customers/42`, credentials: SESSION }],
  [
    'STS',
    {
      url: 'https://sts.amazonaws.com/',
      method: 'POST',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      service: 'sts',
    },
  ],
];

describe('verifySigV4 against @smithy/signature-v4', () => {
  it.each(CASES)('accepts a request with %s signed in the Authorization header', async (_case, input) => {
    // Prepare
    const request = await signWithHeader(input);

    // Act
    const result = verifySigV4(request, optionsFor(input));

    // Assess
    expect(result).toMatchObject({ ok: true, form: 'header' });
  });

  it.each(CASES)('accepts a presigned URL with %s', async (_case, input) => {
    // Prepare
    const request = await presign(input);

    // Act
    const result = verifySigV4(request, optionsFor(input));

    // Assess
    expect(result).toMatchObject({ ok: true, form: 'query' });
  });

  it('checks x-amz-* headers against a long SignedHeaders list as against a short one', async () => {
    // Prepare: 20 x-amz-meta-* headers, all signed (the list is then searched through a Set).
    const input = { url: `${API}/prod/customers/42` };
    const request = unsignedRequest(input);
    for (let index = 0; index < 20; index += 1) request.headers[`x-amz-meta-${index}`] = `value ${index}`;
    const headers = await signRequest(request, USER, scopeOf(input), { signingDate: NOW });
    const signed = asReceived(request.url, { ...request.headers, ...headers }, request);
    const withUnsigned = { ...signed, headers: [...signed.headers, ['X-Amz-Target', 'DeleteItem'] as const] };

    // Act
    const accepted = verifySigV4(signed, optionsFor(input));
    const refused = verifySigV4(withUnsigned, optionsFor(input));

    // Assess
    expect(accepted).toMatchObject({ ok: true });
    expect(accepted.ok && accepted.signedHeaders.length).toBeGreaterThan(16);
    expect(refused).toMatchObject({
      ok: false,
      error: { message: 'There were headers present in the request which were not signed: x-amz-target' },
    });
  });

  it('refuses the same request once its path was changed after signing', async () => {
    // Prepare
    const input = { url: `${API}/prod/customers/a b` };
    const request = await signWithHeader(input);

    // Act
    const result = verifySigV4({ ...request, path: '/prod/customers/a+b' }, optionsFor(input));

    // Assess
    expect(result).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
  });
});
