import { readCredentialScope } from './read-credential-scope';

const SCOPE = { accessKeyId: 'AKID', date: '20150830', region: 'us-east-1', service: 'sts' };
const request = (headers: Array<[string, string]>, query = '') => ({
  method: 'POST',
  path: '/',
  query,
  headers,
  body: new Uint8Array(0),
});

describe('readCredentialScope', () => {
  it('reads the scope from the Authorization header without verifying anything', () => {
    // Act
    const scope = readCredentialScope(
      request([['authorization', 'AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request']]),
    );

    // Assess
    expect(scope).toEqual(SCOPE);
  });

  it('reads the scope from a presigned URL', () => {
    expect(
      readCredentialScope(request([], 'X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fsts%2Faws4_request')),
    ).toEqual(SCOPE);
  });

  it.each([
    ['no signature', request([['Host', 'localhost']])],
    ['a bearer token', request([['Authorization', 'Bearer abc']])],
    ['a short credential', request([['Authorization', 'AWS4-HMAC-SHA256 Credential=AKID/20150830']])],
  ])('has no scope for %s', (_case, unsigned) => {
    expect(readCredentialScope(unsigned)).toBeUndefined();
  });
});
