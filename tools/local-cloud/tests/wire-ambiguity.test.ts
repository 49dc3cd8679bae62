import { presignRequest, signRequest } from '@sigv4-auth/signed-fetch';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';
import { sendRaw } from '../src/testing/raw-clients';

// Requests whose bytes mean one thing to the signature and another to the service: refused, never guessed.
const DEVELOPER = seededUserKeys('developer');

const send = (url: URL, rawPath: string, method: string, headers: Record<string, string>, body?: string) =>
  sendRaw(url, { rawPath, method, headers, body }).then(({ status, body: text }) => ({ status, text }));

describe('one reading of each request', () => {
  let cloud: LocalCloud;
  let iam: URL;
  let open: URL;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    iam = new URL((await deployProbeStack(cloud, { stackName: 'iam', authorizationType: 'AWS_IAM' })).url);
    open = new URL((await deployProbeStack(cloud, { stackName: 'open' })).url);
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  async function signedGet(pathAndQuery: string) {
    const url = new URL(`${iam.href}${pathAndQuery}`);
    const headers = await signRequest(
      { method: 'GET', url, headers: {} },
      DEVELOPER,
      { region: 'us-east-1', service: 'execute-api' },
      { signingDate: cloud.clock.now() },
    );
    return { url, headers: { host: url.host, ...headers } };
  }

  describe('+ in a signed query', () => {
    it('refuses a raw + (a plus to SigV4, a space to API Gateway), with how to send it', async () => {
      // Arrange: signed as ?q=a%2Bb (a plus), sent as ?q=a+b, which the function would read as "a b".
      const { url, headers } = await signedGet('/search?q=a%2Bb');

      // Act
      const response = await send(url, `${url.pathname}?q=a+b`, 'GET', headers);

      // Assess
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text).message).toContain("contains a raw '+'");
    });

    it('refuses a raw + in a presigned URL too, however its X-Amz-* keys are spelled', async () => {
      // Arrange: presigned as ?q=a%2Bb; resent with q=a+b and an escaped letter in X-Amz-Signature's name.
      const url = await presignRequest(
        { method: 'GET', url: new URL(`${iam.href}/search?q=a%2Bb`), headers: {} },
        DEVELOPER,
        { region: 'us-east-1', service: 'execute-api' },
        { signingDate: cloud.clock.now(), expiresInSeconds: 60 },
      );
      const respelled = url.search
        .replace('q=a%2Bb', 'q=a+b')
        .replace('X-Amz-Signature=', 'X-Amz-%53ignature=');

      // Act
      const response = await send(url, `${url.pathname}${respelled}`, 'GET', { host: url.host });

      // Assess
      expect(respelled).toContain('q=a+b');
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text).message).toContain("contains a raw '+'");
    });

    it('passes %2B as a plus and %20 as a space, as API Gateway does', async () => {
      // Arrange
      const { url, headers } = await signedGet('/search?plus=a%2Bb&space=a%20b');

      // Act
      const response = await send(url, `${url.pathname}${url.search}`, 'GET', headers);

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).query).toEqual({ plus: ['a+b'], space: ['a b'] });
    });

    it('reads a raw + of an unsigned (NONE) request as a space, as API Gateway does', async () => {
      // Act: recorded from AWS, `plus=test+alias@gmail.com` arrives as "test alias@gmail.com"
      // (localstack tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json).
      const response = await send(open, `${open.pathname}/search?plus=test+alias@gmail.com`, 'GET', {
        host: open.host,
      });

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).query).toEqual({ plus: ['test alias@gmail.com'] });
    });
  });

  describe('x-amz-* headers that select the operation', () => {
    it('refuses an X-Amz-Target added after signing: a captured call cannot become another operation', async () => {
      // Arrange: some tools sign only host and date.
      const url = new URL(cloud.url);
      const body = '{}';
      const signed = await signRequest(
        {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Buffer.from(body),
        },
        DEVELOPER,
        { region: 'us-east-1', service: 'dynamodb' },
        { signingDate: cloud.clock.now() },
      );

      // Act
      const response = await send(
        url,
        '/',
        'POST',
        {
          host: url.host,
          ...signed,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        body,
      );

      // Assess: DynamoDB's wire format for a signature refusal.
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toEqual({
        __type: 'com.amazon.coral.service#InvalidSignatureException',
        message: 'There were headers present in the request which were not signed: x-amz-target',
      });
    });
  });
});
