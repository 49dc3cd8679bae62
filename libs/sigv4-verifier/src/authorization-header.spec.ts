import { parseAuthorizationHeader } from './authorization-header';
import { IncompleteSignatureError } from './errors';

describe('parseAuthorizationHeader', () => {
  it('reads the algorithm and the comma- or space-separated parameters', () => {
    // Act
    const parsed = parseAuthorizationHeader(
      'AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,  Signature=abc',
    );

    // Assess
    expect(parsed.algorithm).toBe('AWS4-HMAC-SHA256');
    expect(Object.fromEntries(parsed.parameters)).toEqual({
      Credential: 'AKID/20150830/us-east-1/service/aws4_request',
      SignedHeaders: 'host;x-amz-date',
      Signature: 'abc',
    });
  });

  it("answers a token without '=' as API Gateway does for a bearer token", () => {
    // Act
    const act = () => parseAuthorizationHeader('Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig');

    // Assess
    expect(act).toThrow(
      new IncompleteSignatureError(
        "'eyJhbGciOiJIUzI1NiJ9.e30.sig' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'.",
      ),
    );
  });

  it('refuses a repeated parameter rather than picking one', () => {
    expect(() => parseAuthorizationHeader('AWS4-HMAC-SHA256 Signature=a, Signature=b')).toThrow(
      IncompleteSignatureError,
    );
  });

  it('has no parameters when the value is a single word', () => {
    expect(parseAuthorizationHeader('Basic').parameters.size).toBe(0);
  });
});
