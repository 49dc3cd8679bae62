import { clearCredentialCache } from '@smithy/signature-v4';
import { loadSigV4TestVectors, type ParsedHttpRequest, type SigV4Vector } from '@sigv4-auth/testing';
import { PortableSha256, Sha256 } from './sha256';
import { presignRequest, signRequest, type RequestToSign, type SigningTrace } from './sign-request';
import type { AwsCredentialIdentity } from './types';

// AWS's official SigV4 test suite (read from ../shared/sigv4-testsuite/v4, never copied into the repo).
const vectors = loadSigV4TestVectors();

/**
 * Vectors signed-fetch cannot send, by design: they sign paths as S3 does (`"normalize": false`, no dot-segment
 * removal), and a WHATWG URL - what fetch sends - has already removed `/./` and `/../`. signed-fetch targets the
 * services that normalise (every AWS service but S3).
 */
const S3_STYLE = new Set(vectors.filter((vector) => !vector.context.normalize).map((vector) => vector.name));

/**
 * Vectors whose request line holds raw characters a URL cannot carry (a space, `ሴ`). fetch sends them
 * percent-encoded, and every service but S3 URI-encodes the path it receives once more: "Each path segment must
 * be URI-encoded twice (except for Amazon S3 which only gets URI-encoded once)"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). The canonical URI on the
 * wire is therefore the suite's, encoded again.
 */
const RAW_PATH = new Set(['get-space-normalized', 'get-utf8']);

function credentialsOf(vector: SigV4Vector, withToken = true): AwsCredentialIdentity {
  const { access_key_id, secret_access_key, token } = vector.context.credentials;
  return {
    accessKeyId: access_key_id,
    secretAccessKey: secret_access_key,
    ...(withToken && token !== undefined ? { sessionToken: token } : {}),
  };
}

function headerValue(request: ParsedHttpRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The suite's unsigned request as signed-fetch receives it: a URL, headers (repeats joined by ','), bytes. */
function requestOf(vector: SigV4Vector): RequestToSign {
  const { request } = vector;
  const host = headerValue(request, 'host') ?? '';
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const key = name.toLowerCase();
    if (key === 'host') continue;
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  return {
    method: request.method,
    url: new URL(`https://${host}${request.path}${request.query ? `?${request.query}` : ''}`),
    headers,
    body: request.body ? Buffer.from(request.body, 'utf8') : undefined,
  };
}

/** `omit_session_token`: the token is sent but added after signing, so it is not part of the signature. */
function signsToken(vector: SigV4Vector): boolean {
  return vector.context.omit_session_token !== true;
}

const signable = vectors.filter((vector) => !S3_STYLE.has(vector.name) && !RAW_PATH.has(vector.name));

describe('signRequest on the AWS SigV4 test suite', () => {
  it('reads the whole suite, and leaves out only the vectors documented above', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(38);
    expect([...S3_STYLE].sort()).toEqual([
      'get-relative-relative-unnormalized',
      'get-relative-unnormalized',
      'get-slash-dot-slash-unnormalized',
      'get-slash-pointless-dot-unnormalized',
      'get-slash-unnormalized',
      'get-slashes-unnormalized',
      'get-space-unnormalized',
    ]);
    expect(signable).toHaveLength(vectors.length - S3_STYLE.size - RAW_PATH.size);
  });

  it.each(signable.map((vector) => [vector.name, vector] as const))(
    '%s: the Authorization header is the suite’s',
    async (_name, vector) => {
      // Prepare
      const traces: SigningTrace[] = [];

      // Act
      const headers = await signRequest(
        requestOf(vector),
        credentialsOf(vector, signsToken(vector)),
        vector.context,
        {
          signingDate: new Date(vector.context.timestamp),
          applyChecksum: vector.context.sign_body,
          trace: (trace) => traces.push(trace),
        },
      );

      // Assess
      expect(traces[0]?.canonicalRequest).toBe(vector.headerCanonicalRequest);
      expect(headers.authorization).toBe(headerValue(vector.headerSigned, 'authorization'));
    },
  );

  it.each(signable.map((vector) => [vector.name, vector] as const))(
    '%s: the presigned URL carries the suite’s X-Amz-Signature',
    async (_name, vector) => {
      // Act
      const url = await presignRequest(
        requestOf(vector),
        credentialsOf(vector, signsToken(vector)),
        vector.context,
        {
          signingDate: new Date(vector.context.timestamp),
          expiresInSeconds: 3600,
        },
      );

      // Assess
      expect(url.searchParams.get('X-Amz-Signature')).toBe(vector.querySignature);
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        /^AKIDEXAMPLE\/20150830\/us-east-1\/service\/aws4_request$/,
      );
    },
  );

  it.each([...RAW_PATH])('%s: signs the path fetch sends, encoded once more as AWS does', async (name) => {
    // Prepare
    const vector = vectors.find((candidate) => candidate.name === name) as SigV4Vector;
    const [method, uri, ...rest] = vector.headerCanonicalRequest.split('\n');
    const traces: SigningTrace[] = [];

    // Act
    await signRequest(requestOf(vector), credentialsOf(vector), vector.context, {
      signingDate: new Date(vector.context.timestamp),
      applyChecksum: false,
      trace: (trace) => traces.push(trace),
    });

    // Assess
    expect(traces[0]?.canonicalRequest).toBe([method, uri?.replace(/%/g, '%25'), ...rest].join('\n'));
  });

  it('signs the same with node’s hash and with @aws-crypto/sha256-js', async () => {
    // Prepare
    const vector = signable.find(
      (candidate) => candidate.name === 'post-x-www-form-urlencoded',
    ) as SigV4Vector;
    const sign = (sha256: typeof Sha256) =>
      signRequest(requestOf(vector), credentialsOf(vector), vector.context, {
        signingDate: new Date(vector.context.timestamp),
        applyChecksum: vector.context.sign_body,
        sha256,
      });

    // Act
    const [node, portable] = await Promise.all([sign(Sha256), sign(PortableSha256)]);

    // Assess
    expect(node).toEqual(portable);
    expect(node.authorization).toBe(headerValue(vector.headerSigned, 'authorization'));
  });

  it('derives the signing key once per credentials, day, region and service (one HMAC per signature after)', async () => {
    // Prepare: a hash that counts keyed (HMAC) instances.
    const vector = signable.find((candidate) => candidate.name === 'get-vanilla') as SigV4Vector;
    let hmacs = 0;
    class CountingSha256 extends Sha256 {
      public constructor(secret?: ConstructorParameters<typeof Sha256>[0]) {
        super(secret);
        if (secret !== undefined) hmacs += 1;
      }
    }
    const credentials = { ...credentialsOf(vector) };
    const sign = () =>
      signRequest(requestOf(vector), credentials, vector.context, {
        signingDate: new Date(vector.context.timestamp),
        applyChecksum: false,
        sha256: CountingSha256,
      });

    clearCredentialCache(); // smithy's own module cache may hold this key from the tests above
    const counted = async () => {
      const before = hmacs;
      const headers = await sign();
      return { headers, hmacs: hmacs - before };
    };

    // Act
    const first = await counted();
    const second = await counted();
    credentials.secretAccessKey = 'changed-in-place';
    const changed = await counted();

    // Assess: smithy's derivation (its cache-key HMAC + 4) and the signature; then the signature alone.
    expect([first.hmacs, second.hmacs, changed.hmacs]).toEqual([6, 1, 6]);
    expect(second.headers).toEqual(first.headers);
    expect(first.headers.authorization).toBe(headerValue(vector.headerSigned, 'authorization'));
    expect(changed.headers.authorization).not.toBe(first.headers.authorization);
  });
});
