import { indexHeaders } from './canonical-headers';
import { buildCanonicalRequest } from './canonical-request';
import { EMPTY_BODY_SHA256, QUERY } from './constants';
import { sha256Hex } from './crypto';
import { splitQuery } from './query-params';
import { readSuiteFile, toSignedRequest, vectors } from './testing/aws-test-suite';

const SIGNED_HEADERS = /SignedHeaders=([^,\s]+)/;

describe('buildCanonicalRequest against the AWS test suite', () => {
  it('finds the suite', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(38);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))(
    '%s: header form equals header-canonical-request.txt',
    (_name, vector) => {
      // Prepare
      const request = toSignedRequest(vector.headerSigned);
      const headers = indexHeaders(request.headers);
      const authorization = headers.get('authorization')?.[0] ?? '';
      const signedHeaders = (SIGNED_HEADERS.exec(authorization)?.[1] ?? '').split(';');

      // Act
      const canonical = buildCanonicalRequest({
        method: request.method,
        path: request.path,
        query: splitQuery(request.query),
        headers,
        signedHeaders,
        payloadHash: request.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(request.body),
        normalizePath: vector.context.normalize,
        excludedQueryKeys: new Set(),
      });

      // Assess
      expect(canonical).toBe(vector.headerCanonicalRequest);
    },
  );

  it.each(vectors.map((vector) => [vector.name, vector] as const))(
    '%s: query form equals query-canonical-request.txt',
    (_name, vector) => {
      // Prepare
      const request = toSignedRequest(vector.querySigned);
      const query = splitQuery(request.query);
      const signedHeaders = decodeURIComponent(
        query.find((param) => param.rawKey === QUERY.signedHeaders)?.rawValue ?? '',
      ).split(';');
      // omit_session_token: the token was appended after signing, so the suite's canonical request lacks it.
      const excluded = vector.context.omit_session_token
        ? [QUERY.signature, QUERY.securityToken]
        : [QUERY.signature];

      // Act
      const canonical = buildCanonicalRequest({
        method: request.method,
        path: request.path,
        query,
        headers: indexHeaders(request.headers),
        signedHeaders,
        payloadHash: request.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(request.body),
        normalizePath: vector.context.normalize,
        excludedQueryKeys: new Set(excluded),
      });

      // Assess
      expect(canonical).toBe(readSuiteFile(vector, 'query-canonical-request.txt'));
    },
  );
});
