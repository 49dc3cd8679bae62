import { createHash, createHmac } from 'node:crypto';
import { readSuiteFile, optionsFor, toSignedRequest, vectorNamed } from './testing/aws-test-suite';
import type { SignedRequest, VerifyResult } from './types';
import { verifySigV4 } from './verify-sigv4';

const vanilla = vectorNamed('get-vanilla');
const withToken = vectorNamed('get-vanilla-with-session-token');
const TIMESTAMP = Date.parse(vanilla.context.timestamp);
const minutes = (count: number) => new Date(TIMESTAMP + count * 60_000);

function withHeader(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const others = request.headers.filter(([header]) => header.toLowerCase() !== name.toLowerCase());
  return { ...request, headers: value === undefined ? others : [...others, [name, value] as const] };
}

function authorizationOf(request: SignedRequest): string {
  return request.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
}

function refusal(result: VerifyResult) {
  if (result.ok) throw new Error('expected the request to be refused');
  const { code, status, message } = result.error;
  return { code, status, message };
}

describe('verifySigV4', () => {
  it('accepts a request signed with the Authorization header and says who signed it', () => {
    // Act
    const result = verifySigV4(toSignedRequest(vanilla.headerSigned), optionsFor(vanilla));

    // Assess
    expect(result).toEqual({
      ok: true,
      accessKeyId: 'AKIDEXAMPLE',
      sessionToken: undefined,
      signedHeaders: ['host', 'x-amz-date'],
      form: 'header',
      scope: { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service' },
    });
  });

  it('accepts temporary credentials with their session token, presigned too', () => {
    // Act
    const header = verifySigV4(toSignedRequest(withToken.headerSigned), optionsFor(withToken));
    const query = verifySigV4(toSignedRequest(withToken.querySigned), optionsFor(withToken));

    // Assess
    expect(header).toMatchObject({ ok: true, sessionToken: withToken.context.credentials.token });
    expect(query).toMatchObject({
      ok: true,
      form: 'query',
      sessionToken: withToken.context.credentials.token,
    });
  });

  it('answers "Missing Authentication Token" to an unsigned request', () => {
    // Prepare
    const unsigned = withHeader(toSignedRequest(vanilla.headerSigned), 'Authorization', undefined);

    // Act
    const result = verifySigV4(unsigned, optionsFor(vanilla));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'MissingAuthenticationToken',
      status: 403,
      message: 'Missing Authentication Token',
    });
  });

  it('quotes the canonical request and string to sign it expected when the signature does not match', () => {
    // Prepare
    const options = optionsFor(vanilla, { lookupCredential: () => ({ secretAccessKey: 'another secret' }) });

    // Act
    const result = verifySigV4(toSignedRequest(vanilla.headerSigned), options);

    // Assess
    expect(refusal(result)).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
        `\n\nThe Canonical String for this request should have been\n'${vanilla.headerCanonicalRequest}'` +
        `\n\nThe String-to-Sign should have been\n'${readSuiteFile(vanilla, 'header-string-to-sign.txt')}'\n`,
    });
  });

  it('compares the signature exactly: upper-case hex is another signature', () => {
    // Prepare
    const request = toSignedRequest(vanilla.headerSigned);
    const authorization = authorizationOf(request).replace(
      /Signature=(\w+)/,
      (_all, hex: string) => `Signature=${hex.toUpperCase()}`,
    );

    // Act
    const result = verifySigV4(withHeader(request, 'Authorization', authorization), optionsFor(vanilla));

    // Assess
    expect(refusal(result).code).toBe('SignatureDoesNotMatch');
  });

  it.each([-4, 4])('accepts a clock %i minutes away from the signing time', (offset) => {
    expect(
      verifySigV4(toSignedRequest(vanilla.headerSigned), optionsFor(vanilla, { now: minutes(offset) })).ok,
    ).toBe(true);
  });

  it('refuses a request signed 6 minutes ago', () => {
    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, { now: minutes(6) }),
    );

    // Assess
    expect(refusal(result)).toEqual({
      code: 'SignatureExpired',
      status: 403,
      message:
        'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)',
    });
  });

  it('refuses a request signed 6 minutes in the future', () => {
    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, { now: minutes(-6) }),
    );

    // Assess
    expect(refusal(result).message).toBe(
      'Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T123000Z + 5 min.)',
    );
  });

  it('refuses a credential scoped to another region', () => {
    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, { region: 'eu-west-1' }),
    );

    // Assess
    expect(refusal(result)).toEqual({
      code: 'InvalidCredentialScope',
      status: 403,
      message: "Credential should be scoped to a valid region, not 'us-east-1'. ",
    });
  });

  it('refuses a credential scoped to another service', () => {
    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, { service: 'execute-api' }),
    );

    // Assess
    expect(refusal(result)).toEqual({
      code: 'InvalidCredentialScope',
      status: 403,
      message: "Credential should be scoped to correct service: 'execute-api'. ",
    });
  });

  it('refuses an unknown access key', () => {
    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, { lookupCredential: () => undefined }),
    );

    // Assess
    expect(refusal(result)).toEqual({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses expired temporary credentials', () => {
    // Prepare
    const { secret_access_key, token } = withToken.context.credentials;
    const expired = { secretAccessKey: secret_access_key, sessionToken: token, expiresAt: minutes(-1) };

    // Act
    const result = verifySigV4(
      toSignedRequest(withToken.headerSigned),
      optionsFor(withToken, { lookupCredential: () => expired }),
    );

    // Assess
    expect(refusal(result)).toEqual({
      code: 'ExpiredToken',
      status: 403,
      message: 'The security token included in the request is expired',
    });
  });

  it('refuses temporary credentials used without their session token', () => {
    // Prepare
    const session = {
      secretAccessKey: vanilla.context.credentials.secret_access_key,
      sessionToken: 'issued-token',
    };

    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, { lookupCredential: () => session }),
    );

    // Assess
    expect(refusal(result)).toEqual({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses a session token that is not the one issued with the key', () => {
    // Prepare
    const session = {
      secretAccessKey: withToken.context.credentials.secret_access_key,
      sessionToken: 'issued-token',
    };

    // Act
    const result = verifySigV4(
      toSignedRequest(withToken.headerSigned),
      optionsFor(withToken, { lookupCredential: () => session }),
    );

    // Assess
    expect(refusal(result).code).toBe('InvalidClientTokenId');
  });

  it('refuses a request whose Host header is not signed', () => {
    // Prepare
    const request = toSignedRequest(vanilla.headerSigned);
    const authorization = authorizationOf(request).replace(
      'SignedHeaders=host;x-amz-date',
      'SignedHeaders=x-amz-date',
    );

    // Act
    const result = verifySigV4(withHeader(request, 'Authorization', authorization), optionsFor(vanilla));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('refuses an x-amz-* header that is not signed: a captured GetItem must not replay as DeleteItem', () => {
    // Prepare: "You must include the host header ... and any x-amz-* headers in the signature"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
    const replayed = withHeader(
      toSignedRequest(vanilla.headerSigned),
      'X-Amz-Target',
      'DynamoDB_20120810.DeleteItem',
    );

    // Act
    const result = verifySigV4(replayed, optionsFor(vanilla));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: 'There were headers present in the request which were not signed: x-amz-target',
    });
  });

  it('takes X-Amz-Security-Token added after signing (the suite’s post-sts-header-after)', () => {
    // Act
    const after = vectorNamed('post-sts-header-after');
    const result = verifySigV4(toSignedRequest(after.headerSigned), optionsFor(after));

    // Assess
    expect(result).toMatchObject({ ok: true, signedHeaders: ['host', 'x-amz-date'] });
  });

  it('refuses a signed header that was not sent', () => {
    // Prepare
    const vector = vectorNamed('post-header-key-sort');

    // Act
    const result = verifySigV4(
      withHeader(toSignedRequest(vector.headerSigned), 'My-Header1', undefined),
      optionsFor(vector),
    );

    // Assess
    expect(refusal(result).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a duplicated Authorization header', () => {
    // Prepare
    const request = toSignedRequest(vanilla.headerSigned);
    const duplicated = {
      ...request,
      headers: [...request.headers, ['authorization', authorizationOf(request)] as const],
    };

    // Act
    const result = verifySigV4(duplicated, optionsFor(vanilla));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'IncompleteSignature',
      status: 400,
      message: 'The request must carry exactly one Authorization header.',
    });
  });

  it('refuses an algorithm other than AWS4-HMAC-SHA256', () => {
    // Prepare
    const request = toSignedRequest(vanilla.headerSigned);
    const authorization = authorizationOf(request).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512');

    // Act
    const result = verifySigV4(withHeader(request, 'Authorization', authorization), optionsFor(vanilla));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'IncompleteSignature',
      status: 400,
      message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    });
  });

  it('lets a presigned URL live for X-Amz-Expires, then answers "Request has expired"', () => {
    // Prepare
    const presigned = toSignedRequest(vanilla.querySigned);

    // Act
    const lastSecond = verifySigV4(presigned, optionsFor(vanilla, { now: minutes(60) }));
    const expired = verifySigV4(presigned, optionsFor(vanilla, { now: new Date(TIMESTAMP + 3_601_000) }));

    // Assess
    expect(lastSecond.ok).toBe(true);
    expect(refusal(expired)).toEqual({
      code: 'SignatureExpired',
      status: 403,
      message: 'Request has expired',
    });
  });

  it('refuses a presigned URL claiming to live longer than a week', () => {
    // Prepare
    const presigned = toSignedRequest(vanilla.querySigned);
    const tooLong = {
      ...presigned,
      query: presigned.query.replace('X-Amz-Expires=3600', 'X-Amz-Expires=604801'),
    };

    // Act
    const result = verifySigV4(tooLong, optionsFor(vanilla));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'IncompleteSignature',
      status: 400,
      message:
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    });
  });

  it('accepts a presigned token appended after signing only when it is the issued token', () => {
    // Prepare
    const vector = vectorNamed('post-sts-header-after');
    const presigned = toSignedRequest(vector.querySigned);
    const otherToken = {
      ...presigned,
      query: presigned.query.replace('X-Amz-Security-Token=AQoD', 'X-Amz-Security-Token=BQoD'),
    };

    // Act
    const issued = verifySigV4(presigned, optionsFor(vector));
    const other = verifySigV4(otherToken, optionsFor(vector));

    // Assess
    expect(issued.ok).toBe(true);
    expect(refusal(other).code).toBe('InvalidClientTokenId');
  });

  it('refuses a body that is not the one x-amz-content-sha256 declares', () => {
    // Prepare
    const vector = vectorNamed('post-x-www-form-urlencoded');
    const swapped = { ...toSignedRequest(vector.headerSigned), body: Buffer.from('Param1=value2') };

    // Act
    const result = verifySigV4(swapped, optionsFor(vector));

    // Assess
    expect(refusal(result)).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 400,
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    });
  });

  it('takes the signing time from the Date header when there is no X-Amz-Date', () => {
    // Prepare: signed by hand, following the documented steps on literal text.
    const { access_key_id, secret_access_key } = vanilla.context.credentials;
    const canonicalRequest =
      'GET\n/\n\ndate:Sun, 30 Aug 2015 12:36:00 GMT\nhost:example.amazonaws.com\n\ndate;host\n' +
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const stringToSign =
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
      createHash('sha256').update(canonicalRequest).digest('hex');
    const key = ['20150830', 'us-east-1', 'service', 'aws4_request'].reduce<Buffer | string>(
      (previous, part) => createHmac('sha256', previous).update(part).digest(),
      `AWS4${secret_access_key}`,
    );
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    const request: SignedRequest = {
      method: 'GET',
      path: '/',
      query: '',
      headers: [
        ['Host', 'example.amazonaws.com'],
        ['Date', 'Sun, 30 Aug 2015 12:36:00 GMT'],
        [
          'Authorization',
          `AWS4-HMAC-SHA256 Credential=${access_key_id}/20150830/us-east-1/service/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
        ],
      ],
      body: new Uint8Array(0),
    };

    // Act
    const result = verifySigV4(request, optionsFor(vanilla));

    // Assess
    expect(result).toMatchObject({ ok: true, signedHeaders: ['date', 'host'] });
  });

  it('reports a failure of its own, such as a throwing credential lookup, as InternalFailure with the cause', () => {
    // Prepare
    const failure = new Error('identity store unavailable');

    // Act
    const result = verifySigV4(
      toSignedRequest(vanilla.headerSigned),
      optionsFor(vanilla, {
        lookupCredential: () => {
          throw failure;
        },
      }),
    );

    // Assess
    expect(refusal(result)).toMatchObject({ code: 'InternalFailure', status: 500 });
    expect(!result.ok && result.error.cause).toBe(failure);
  });

  it('refuses a nonsensical skew setting at once', () => {
    expect(() =>
      verifySigV4(toSignedRequest(vanilla.headerSigned), optionsFor(vanilla, { maxSkewMs: -1 })),
    ).toThrow(RangeError);
  });
});
