import { indexHeaders } from './canonical-headers';
import {
  IncompleteSignatureError,
  MissingAuthenticationTokenError,
  SignatureDoesNotMatchError,
} from './errors';
import { splitQuery } from './query-params';
import { readSignatureParts } from './signature-parts';

const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

const read = (headers: Array<[string, string]>, query = '') =>
  readSignatureParts(indexHeaders(headers), splitQuery(query));

describe('readSignatureParts', () => {
  it('reads the header form, with the session token header', () => {
    // Act
    const parts = read([
      ['Authorization', AUTHORIZATION],
      ['X-Amz-Date', '20150830T123600Z'],
      ['X-Amz-Security-Token', 'token'],
    ]);

    // Assess
    expect(parts).toEqual({
      form: 'header',
      algorithm: 'AWS4-HMAC-SHA256',
      credential: 'AKID/20150830/us-east-1/service/aws4_request',
      signedHeaders: 'host;x-amz-date',
      signature: 'abc',
      requestDateText: '20150830T123600Z',
      dateFromHttpDateHeader: false,
      sessionToken: 'token',
    });
  });

  it('falls back to the Date header when there is no X-Amz-Date', () => {
    const parts = read([
      ['Authorization', AUTHORIZATION],
      ['Date', 'Sun, 30 Aug 2015 12:36:00 GMT'],
    ]);
    expect([parts.requestDateText, parts.dateFromHttpDateHeader]).toEqual([
      'Sun, 30 Aug 2015 12:36:00 GMT',
      true,
    ]);
  });

  it('reads the presigned form, decoding the parameters', () => {
    // Act
    const parts = read(
      [],
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fservice%2Faws4_request' +
        '&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&X-Amz-Security-Token=a%2Bb',
    );

    // Assess
    expect(parts).toMatchObject({
      form: 'query',
      credential: 'AKID/20150830/us-east-1/service/aws4_request',
      expires: '60',
      sessionToken: 'a+b',
    });
  });

  it("answers API Gateway's text when neither form is there", () => {
    expect(() => read([['Host', 'example.com']], 'X-Amz-Signature=abc')).toThrow(
      new MissingAuthenticationTokenError('Missing Authentication Token'),
    );
  });

  // API Gateway's answers to "Basic <base64 with padding>" (digitalepidemiologylab/crowdbreaks#3) and to a
  // bare JWT (aws/chalice#828).
  it.each(['Basic ZWxhc3RpYzpzZWNyZXQ=', 'eyJ0eXAiOiJKV1QifQ.e30.c2ln'])(
    'lists every missing header parameter, then echoes the header (%s)',
    (authorization) => {
      expect(() => read([['Authorization', authorization]])).toThrow(
        new IncompleteSignatureError(
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
            "Authorization header requires 'SignedHeaders' parameter. " +
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
            `Authorization=${authorization}`,
        ),
      );
    },
  );

  it('lists every missing query parameter', () => {
    expect(() => read([], 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=')).toThrow(
      new IncompleteSignatureError(
        "AWS query-string parameters must include 'X-Amz-Credential'. " +
          "AWS query-string parameters must include 'X-Amz-Signature'. " +
          "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
          "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
      ),
    );
  });

  it('refuses both forms at once', () => {
    expect(() =>
      read(
        [
          ['Authorization', AUTHORIZATION],
          ['X-Amz-Date', '20150830T123600Z'],
        ],
        'X-Amz-Algorithm=AWS4-HMAC-SHA256',
      ),
    ).toThrow(
      new SignatureDoesNotMatchError(
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      ),
    );
  });

  it('refuses a repeated Authorization header or presigned parameter', () => {
    expect(() =>
      read([
        ['Authorization', AUTHORIZATION],
        ['authorization', AUTHORIZATION],
        ['X-Amz-Date', '20150830T123600Z'],
      ]),
    ).toThrow(IncompleteSignatureError);
    expect(() => read([], 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=1&X-Amz-Date=2')).toThrow(
      IncompleteSignatureError,
    );
  });
});
