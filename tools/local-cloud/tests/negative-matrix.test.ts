import { signRequest, type AwsCredentialIdentity } from '@sigv4-auth/signed-fetch';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';
import { assumeRoleCredentials, sendRaw } from '../src/testing/raw-clients';

/**
 * Every refusal of API Gateway's AWS_IAM, row by row of the README's parity table, against the local cloud's
 * gateway over real HTTP. Sources: API Gateway gateway responses
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html),
 * SigV4 troubleshooting (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html),
 * API Gateway authorization flow
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html).
 */
const IDENTITIES = LOCAL_IDENTITIES_FILE;
const DEVELOPER = seededUserKeys('developer');
const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const MINUTE = 60_000;

/** One request with exactly these header pairs (duplicates kept); `rawPath` goes on the wire as given. */
const send = (
  url: URL,
  method: string,
  headers: Array<[string, string]>,
  body?: Uint8Array,
  rawPath?: string,
) => sendRaw(url, { method, headers, body, rawPath });

describe('AWS_IAM refusals on the local cloud gateway (negative matrix)', () => {
  let cloud: LocalCloud;
  let base: string;
  let apiId: string;

  /** Signs GET `pathAndQuery` as signed-fetch would, with these credentials, date and scope. */
  async function signed(
    pathAndQuery: string,
    options: {
      credentials?: AwsCredentialIdentity;
      date?: Date;
      scope?: { region: string; service: string };
      method?: string;
      body?: Uint8Array;
    } = {},
  ): Promise<{ url: URL; headers: Array<[string, string]> }> {
    const url = new URL(`${base}${pathAndQuery}`);
    const headers = await signRequest(
      { method: options.method ?? 'GET', url, headers: {}, body: options.body },
      options.credentials ?? DEVELOPER,
      options.scope ?? SCOPE,
      { signingDate: options.date ?? cloud.clock.now() },
    );
    return { url, headers: [['host', url.host], ...Object.entries(headers)] };
  }

  const assumed = (roleName: string) =>
    assumeRoleCredentials(cloud, `arn:aws:iam::000000000000:role/${roleName}`, 'matrix');

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: IDENTITIES });
    ({ url: base } = await deployProbeStack(cloud, {
      stage: 'local',
      basePath: 'customers',
      authorizationType: 'AWS_IAM',
      // An explicit deny in the resource policy, for one path.
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*/GET/customers/denied',
          },
        ],
      },
    }));
    apiId = new URL(base).pathname.split('/')[2] as string;
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it('accepts the request signed right (the baseline every row changes one thing of)', async () => {
    // Act
    const { url, headers } = await signed('/customers/1');
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ caller: 'arn:aws:iam::000000000000:user/developer' });
  });

  it('no signature: 403 Missing Authentication Token', async () => {
    // Act
    const url = new URL(`${base}/customers/1`);
    const response = await send(url, 'GET', [['host', url.host]]);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('signature mismatch: 403 quoting the canonical request and string to sign', async () => {
    // Act
    const { url, headers } = await signed('/customers/1', {
      credentials: { ...DEVELOPER, secretAccessKey: 'wrong' },
    });
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(403);
    const { message } = response.json() as { message: string };
    expect(message).toMatch(
      /^The request signature we calculated does not match the signature you provided\. /,
    );
    expect(message).toContain(
      `The Canonical String for this request should have been\n'GET\n/restapis/${apiId}/local/_user_request_/customers/1\n`,
    );
    expect(message).toContain("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n");
  });

  it.each([
    [
      '6 minutes old',
      -6,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    ],
    [
      '6 minutes in the future',
      6,
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
    ],
  ])('a signature %s: 403', async (_name, minutes, message) => {
    // Act
    const { url, headers } = await signed('/customers/1', {
      date: new Date(cloud.clock.nowMs() + minutes * MINUTE),
    });
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json().message).toMatch(message);
  });

  it('an unknown access key: 403', async () => {
    // Act
    const { url, headers } = await signed('/customers/1', {
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'The security token included in the request is invalid.' });
  });

  it('expired role credentials (the local cloud clock moved past them): 403', async () => {
    // Arrange
    const credentials = await assumed('customer-reader');
    cloud.clock.advance(61 * MINUTE);

    // Act
    try {
      const { url, headers } = await signed('/customers/1', { credentials });
      const response = await send(url, 'GET', headers);

      // Assess
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ message: 'The security token included in the request is expired' });
    } finally {
      cloud.clock.advance(-61 * MINUTE);
    }
  });

  it.each([
    [
      'service',
      { region: 'us-east-1', service: 'lambda' },
      "Credential should be scoped to correct service: 'execute-api'. ",
    ],
    [
      'region',
      { region: 'eu-west-1', service: 'execute-api' },
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    ],
  ])('a credential scoped to another %s: 403', async (_name, scope, message) => {
    // Act
    const { url, headers } = await signed('/customers/1', { scope });
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message });
  });

  it('signed, but no policy allows it (role no-access): 403 with the method ARN', async () => {
    // Act
    const { url, headers } = await signed('/customers/1', { credentials: await assumed('no-access') });
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({
      Message: `User: arn:aws:sts::000000000000:assumed-role/no-access/matrix is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${apiId}/local/GET/customers/1`,
    });
  });

  it('an explicit deny in the resource policy beats the admin allow: 403 "with an explicit deny"', async () => {
    // Act
    const { url, headers } = await signed('/customers/denied');
    const response = await send(url, 'GET', headers);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({
      Message: `User: arn:aws:iam::000000000000:user/developer is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${apiId}/local/GET/customers/denied with an explicit deny`,
    });
  });

  it('a Host header that is not signed: 403', async () => {
    // Arrange: sign without host in SignedHeaders, as a broken client would.
    const { url, headers } = await signed('/customers/1');
    const tampered = headers.map(([name, value]): [string, string] =>
      name === 'authorization'
        ? [name, value.replace('SignedHeaders=host;', 'SignedHeaders=')]
        : [name, value],
    );

    // Act
    const response = await send(url, 'GET', tampered);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json().message).toMatch(
      /'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization\./,
    );
  });

  it('two Authorization headers (a valid one first): 403, never the first one alone', async () => {
    // Arrange
    const { url, headers } = await signed('/customers/1');
    const authorization = headers.find(([name]) => name === 'authorization')!;

    // Act
    const response = await send(url, 'GET', [
      ...headers,
      ['Authorization', authorization[1].replace(/.$/, '0')],
    ]);

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'The request must carry exactly one Authorization header.' });
  });

  it('oversized headers (request line and values over 10240 bytes): 431, and the next request is served', async () => {
    // Arrange
    const { url, headers } = await signed('/customers/1');

    // Act
    const oversized = await send(url, 'GET', [...headers, ['x-padding', 'p'.repeat(11_000)]]);
    const next = await send(url, 'GET', headers);

    // Assess
    expect(oversized.status).toBe(431);
    expect(oversized.json()).toEqual({ message: 'Request Header Fields Too Large' });
    expect(next.status).toBe(200);
  });

  it('routes the path the signature covers: a signed /customers/1 sent as /customers/x/../1 reaches /customers/1', async () => {
    // Arrange: AWS normalizes dot segments before signing, so the signature holds for both forms.
    const { url, headers } = await signed('/customers/1');
    const stagePath = new URL(base).pathname;

    // Act: the raw path, dots and all, on the wire.
    const response = await send(url, 'GET', headers, undefined, `${stagePath}/customers/x/../1`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ path: '/customers/1' });
    expect(cloud.accessLog.at(-1)).toMatchObject({ path: '/customers/1', status: 200 });
  });

  it('never lets .. climb out of _user_request_ to another stage than the one signed', async () => {
    // Arrange: signed for stage "customers" (none exists), sent as a path that starts in stage "local". Routing
    // only the part after _user_request_ would reach stage local's /customers/{proxy+} and answer 200.
    const signedElsewhere = await signed('/../../customers/_user_request_/customers/1');
    const raw = `${new URL(base).pathname}/../../customers/_user_request_/customers/1`;

    // Act
    const response = await send(signedElsewhere.url, 'GET', signedElsewhere.headers, undefined, raw);

    // Assess: routed as signed, to a stage that does not exist.
    expect(signedElsewhere.url.pathname).toBe(`/restapis/${apiId}/customers/_user_request_/customers/1`);
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'Missing Authentication Token' });
  });
});
