import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { packageService, removeIsolatedBuilds, type PackagedService } from '../src/cli/package-service';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { pythonWithBotocore } from '../src/testing/python';

const ROOT = path.resolve(__dirname, '../../..');
const IDENTITIES = LOCAL_IDENTITIES_FILE;
const keysOf = (name: string) => seededUserKeys(name);

/** Temporary credentials for a role, from the local cloud's STS through the real AWS SDK client. */
async function assumeRole(cloud: LocalCloud, roleName: string, durationSeconds = 900) {
  const sts = new STSClient({ region: 'us-east-1', endpoint: cloud.url, credentials: keysOf('developer') });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::000000000000:role/${roleName}`,
      RoleSessionName: 'e2e-test',
      DurationSeconds: durationSeconds,
    }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId as string,
    secretAccessKey: Credentials?.SecretAccessKey as string,
    sessionToken: Credentials?.SessionToken as string,
  };
}

const notAuthorized = (principal: string, methodArn: RegExp | string) =>
  new RegExp(
    `^User: ${principal.replace(/[/.]/g, '\\$&')} is not authorized to perform: execute-api:Invoke on resource: ${
      typeof methodArn === 'string' ? methodArn.replace(/[/.]/g, '\\$&') : methodArn.source
    }$`,
  );

/** Packaged from a copy: never races `nx package` writing the services' own `.serverless/` meanwhile. */
function packageForTest(service: string) {
  return packageService(path.join(ROOT, 'apps', service), { isolated: true });
}

describe('the whole flow on the local cloud (in memory)', () => {
  let cloud: LocalCloud;
  let customerPackage: PackagedService;
  let customerUrl: string;
  let orderUrl: string;
  const logs: string[] = [];
  const developer = createSignedFetch({
    credentials: keysOf('developer'),
    region: 'us-east-1',
    service: 'execute-api',
  });

  beforeAll(async () => {
    // order-service imports identity-service's user pool (its /me and /partner routes' authorizers).
    let identityPackage: PackagedService, orderPackage: PackagedService;
    [customerPackage, identityPackage, orderPackage] = await Promise.all([
      packageForTest('customer-service'),
      packageForTest('identity-service'),
      packageForTest('order-service'),
    ]);
    cloud = await LocalCloud.start({ port: 0, identitiesFile: IDENTITIES, log: (line) => logs.push(line) });
    await cloud.deploy(customerPackage);
    await cloud.deploy(identityPackage);
    await cloud.deploy(orderPackage);
    const endpoint = (stack: string) =>
      cloud
        .stacks()
        .find((s) => s.stackName === stack)
        ?.outputs.find((o) => o.key === 'ServiceEndpoint')?.value as string;
    customerUrl = endpoint('customer-service-local');
    orderUrl = endpoint('order-service-local');
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    removeIsolatedBuilds();
  });

  it('resolves ServiceEndpoint to the local execute-api URL', () => {
    expect(customerUrl).toMatch(new RegExp(`^${cloud.url}/restapis/[a-z0-9]{10}/local/_user_request_$`));
  });

  it('lets the developer create a customer and an order that holds the customer data', async () => {
    const created = await developer(`${customerUrl}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    });
    const customer = await created.json();
    expect(created.status).toBe(201);

    const ordered = await developer(`${orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: customer.id,
        items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1250 }],
      }),
    });
    const order = await ordered.json();

    expect({ status: ordered.status, body: order }).toMatchObject({
      status: 201,
      body: { customer: { id: customer.id, name: 'Ada', email: 'ada@example.com' }, total: 2500 },
    });
    const hop = cloud.accessLog.find(
      (entry) => entry.resourcePath === '/customers/{id}' && entry.status === 200,
    );
    expect(hop?.principal).toMatch(
      /^arn:aws:sts::000000000000:assumed-role\/order-service-local-createOrder-us-east-1-lambdaRole\/order-service-local-createOrder$/,
    );
    // getOrder reads it back with its own role (dynamodb:GetItem on the orders table, nothing else).
    const read = await developer(`${orderUrl}/orders/${(order as { id: string }).id}`);
    expect({ status: read.status, body: await read.json() }).toEqual({ status: 200, body: order });
  }, 30_000);

  it('answers bytes that are not UTF-8 and malformed JSON with 400 through the gateway, never a 5xx', async () => {
    // Act
    const notUtf8 = await developer(`${customerUrl}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([...Buffer.from('{"name":"'), 0xff, 0xfe, ...Buffer.from('","email":"a@b.co"}')]),
    });
    const malformed = await developer(`${orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customerId":',
    });

    // Assess
    expect([notUtf8.status, ((await notUtf8.json()) as { error: string }).error]).toEqual([
      400,
      'BadRequest',
    ]);
    expect(await malformed.json()).toEqual({
      error: 'BadRequest',
      message: 'Request body is not valid JSON',
    });
  });

  it('answers an unsigned request with Missing Authentication Token', async () => {
    const response = await fetch(`${customerUrl}/customers/00000000-0000-4000-8000-000000000000`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  // A route that does not exist is AWS's 403 Missing Authentication Token even when the request is signed
  // (https://repost.aws/knowledge-center/api-gateway-authentication-token-errors); the local log says why.
  it('answers a signed request to a route that does not exist as AWS does, and explains it in the local log', async () => {
    const response = await developer(`${customerUrl}/custmers/42`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    const entry = cloud.accessLog.find((candidate) => candidate.path === '/custmers/42');
    expect(entry?.decision).toEqual({
      check: 'routing',
      allowed: false,
      detail: expect.stringMatching(/^no such route: no resource of API \w+ matches \/custmers\/42$/),
    });
    expect(logs.some((line) => line.includes('auth="Missing Authentication Token" (no such route:'))).toBe(
      true,
    );
  });

  it('refuses the account-111111111111 identity by the resource policy although its own policy allows', async () => {
    const partner = createSignedFetch({ credentials: keysOf('partner'), region: 'us-east-1' });

    const response = await partner(`${customerUrl}/customers/00000000-0000-4000-8000-000000000000`);

    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.Message).toMatch(
      /^User: arn:aws:iam::111111111111:user\/partner is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:[a-z0-9]{10}\/local\/GET\/customers\/00000000-0000-4000-8000-000000000000 with an explicit deny$/,
    );
  });

  // The roles of infra/local/identities.json, assumed through STS as a user would.
  describe('roles', () => {
    const API_ARN = 'arn:aws:execute-api:us-east-1:000000000000:[a-z0-9]{10}/local';
    let customerId: string;

    beforeAll(async () => {
      const created = await developer(`${customerUrl}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Grace', email: 'grace@example.com' }),
      });
      customerId = ((await created.json()) as { id: string }).id;
    });

    it('lets customer-reader GET a customer', async () => {
      // Prepare
      const reader = createSignedFetch({
        credentials: await assumeRole(cloud, 'customer-reader'),
        region: 'us-east-1',
      });

      // Act
      const response = await reader(`${customerUrl}/customers/${customerId}`);

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: customerId, name: 'Grace' });
    });

    it('refuses customer-reader a POST /customers and any order-service route, naming the method ARN', async () => {
      // Prepare
      const reader = createSignedFetch({
        credentials: await assumeRole(cloud, 'customer-reader'),
        region: 'us-east-1',
      });
      const principal = 'arn:aws:sts::000000000000:assumed-role/customer-reader/e2e-test';

      // Act
      const post = await reader(`${customerUrl}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Eve', email: 'eve@example.com' }),
      });
      const order = await reader(`${orderUrl}/orders/${customerId}`);

      // Assess
      expect(post.status).toBe(403);
      expect(((await post.json()) as { Message: string }).Message).toMatch(
        notAuthorized(principal, new RegExp(`${API_ARN}/POST/customers`)),
      );
      expect(order.status).toBe(403);
      expect(((await order.json()) as { Message: string }).Message).toMatch(
        notAuthorized(principal, new RegExp(`${API_ARN}/GET/orders/${customerId}`)),
      );
    });

    it('gives no-access the exact not-authorized message', async () => {
      // Prepare
      const nobody = createSignedFetch({
        credentials: await assumeRole(cloud, 'no-access'),
        region: 'us-east-1',
      });

      // Act
      const response = await nobody(`${customerUrl}/customers/${customerId}`);

      // Assess: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect(((await response.json()) as { Message: string }).Message).toMatch(
        notAuthorized(
          'arn:aws:sts::000000000000:assumed-role/no-access/e2e-test',
          new RegExp(`${API_ARN}/GET/customers/${customerId}`),
        ),
      );
    });

    it('refuses role credentials once they expired (the local cloud clock moved past their expiry)', async () => {
      // Prepare: 15-minute credentials, then 16 minutes pass; the caller's own clock moves too.
      const credentials = await assumeRole(cloud, 'customer-reader', 900);
      const reader = createSignedFetch({ credentials, region: 'us-east-1', now: () => cloud.clock.nowMs() });
      cloud.clock.advance(16 * 60_000);

      try {
        // Act
        const response = await reader(`${customerUrl}/customers/${customerId}`);

        // Assess: the parity table of the README / DESIGN.md
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({
          message: 'The security token included in the request is expired',
        });
      } finally {
        cloud.clock.reset();
      }
    });
  });

  // Independent signers: what people use by hand must be accepted too.
  describe('independent signers', () => {
    const { accessKeyId, secretAccessKey } = keysOf('developer');

    // Run as child processes asynchronously: the local cloud answers from this very process.
    const run = promisify(execFile);

    it('accepts curl --aws-sigv4', async () => {
      // Act
      const { stdout: output } = await run(
        'curl',
        [
          '-sS',
          '--aws-sigv4',
          'aws:amz:us-east-1:execute-api',
          '--user',
          `${accessKeyId}:${secretAccessKey}`,
          '-w',
          '\n%{http_code}',
          `${customerUrl}/whoami`,
        ],
        { encoding: 'utf8' },
      );

      // Assess
      const [body, status] = output.split('\n');
      expect(status).toBe('200');
      expect(JSON.parse(body as string)).toMatchObject({
        identity: {
          userArn: 'arn:aws:iam::000000000000:user/developer',
          accessKey: accessKeyId,
          userAgent: expect.stringMatching(/^curl\//),
        },
      });
    });

    it('accepts a request signed by botocore SigV4Auth (the AWS CLI and boto3 signer)', async () => {
      // Prepare: python3 with botocore is installed on these machines (README, CI)
      const script = [
        'import sys, urllib.request',
        'from botocore.auth import SigV4Auth',
        'from botocore.awsrequest import AWSRequest',
        'from botocore.credentials import Credentials',
        'url, key, secret = sys.argv[1:4]',
        "request = AWSRequest(method='POST', url=url + '/customers', data=b'{\"name\":\"Bo\",\"email\":\"bo@example.com\"}', headers={'content-type': 'application/json'})",
        "SigV4Auth(Credentials(key, secret), 'execute-api', 'us-east-1').add_auth(request)",
        'prepared = request.prepare()',
        'reply = urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method=prepared.method))',
        'print(reply.status)',
      ].join('\n');

      // Act
      const { stdout: status } = await run(
        pythonWithBotocore(),
        ['-c', script, customerUrl, accessKeyId, secretAccessKey],
        {
          encoding: 'utf8',
        },
      );

      // Assess
      expect(status.trim()).toBe('201');
    });
  });

  // Fault injection (POST /_local/faults) on customer-service: order-service must answer a clear 5xx and write
  // no order, and a transient failure of its idempotent GET must be retried away (signed-fetch retries).
  describe('customer-service failing, slow or timing out', () => {
    let customerId: string;
    let dynamodb: DynamoDBClient;
    const orderCount = async () =>
      (await dynamodb.send(new ScanCommand({ TableName: 'order-service-local-orders', Select: 'COUNT' })))
        .Count ?? 0;
    const injectFault = async (fault: Record<string, unknown>) => {
      const response = await fetch(`${cloud.url}/_local/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-cloud-token': cloud.adminToken.value },
        body: JSON.stringify(fault),
      });
      expect(response.status).toBe(201);
    };
    const placeOrder = async () => {
      const response = await developer(`${orderUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId, items: [{ sku: 'PEN-1', quantity: 1, unitPrice: 199 }] }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      dynamodb = new DynamoDBClient({
        region: 'us-east-1',
        endpoint: cloud.url,
        credentials: keysOf('developer'),
      });
      const created = await developer(`${customerUrl}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Faulty', email: 'faulty@example.com' }),
      });
      customerId = ((await created.json()) as { id: string }).id;
    });

    afterEach(async () => {
      expect(
        (
          await fetch(`${cloud.url}/_local/faults`, {
            method: 'DELETE',
            headers: { 'x-local-cloud-token': cloud.adminToken.value },
          })
        ).status,
      ).toBe(200);
    });

    afterAll(() => dynamodb.destroy());

    it.each([
      [
        'failing (function error, 502)',
        { mode: 'error' },
        502,
        'BadGateway',
        'customer-service failed with status 502',
      ],
      [
        'timing out (504)',
        { mode: 'timeout', latencyMs: 50 },
        504,
        'GatewayTimeout',
        'customer-service timed out (504)',
      ],
    ])(
      'customer-service %s: order-service answers %s and writes no order',
      async (_name, fault, status, error, message) => {
        // Arrange
        await injectFault({ target: 'customer-service-local', ...fault });
        const before = await orderCount();

        // Act
        const answer = await placeOrder();

        // Assess
        expect(answer).toEqual({ status, body: { error, message } });
        expect(await orderCount()).toBe(before);
        // The log says how long the injected timeout held the call (50 ms), not the function's timeout.
        if (fault.mode === 'timeout')
          expect(logs.some((line) => line.includes('] Task timed out after 0.05 seconds (injected)'))).toBe(
            true,
          );
      },
    );

    it('customer-service slower than order-service waits (3 s): 504 and no order', async () => {
      // Arrange
      await injectFault({ target: 'customer-service-local-getCustomer', mode: 'latency', latencyMs: 4000 });
      const before = await orderCount();

      // Act
      const answer = await placeOrder();

      // Assess
      expect(answer).toEqual({
        status: 504,
        body: { error: 'GatewayTimeout', message: 'customer-service did not answer in time' },
      });
      expect(await orderCount()).toBe(before);
    }, 15_000);

    it('a transient failure of the idempotent GET is retried and the order succeeds', async () => {
      // Arrange: one failing invocation, then customer-service is healthy again.
      await injectFault({ target: 'customer-service-local-getCustomer', mode: 'error', count: 1 });
      const before = await orderCount();

      // Act
      const answer = await placeOrder();
      const faults = (await (await fetch(`${cloud.url}/_local/faults`)).json()) as { faults: unknown[] };

      // Assess
      expect(answer.status).toBe(201);
      expect(await orderCount()).toBe(before + 1);
      expect(faults).toEqual({ faults: [] }); // used up
      const hops = cloud.accessLog.filter((entry) => entry.resourcePath === '/customers/{id}').slice(-2);
      expect(hops.map((entry) => entry.status)).toEqual([502, 200]);
    });

    it('refuses what a web page could send to the unauthenticated /_local endpoints', async () => {
      // Act
      const fromBrowser = await fetch(`${cloud.url}/_local/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ target: 'customer-service-local', mode: 'error' }),
      });
      const formPost = await fetch(`${cloud.url}/_local/faults`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ target: 'customer-service-local', mode: 'error' }),
      });
      // fetch will not set Host: a DNS-rebound name, sent with node's own client.
      const rebound = await new Promise<{ status: number }>((resolve, reject) =>
        httpRequest(`${cloud.url}/_local/faults`, { headers: { host: 'evil.example' } }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0 });
        })
          .on('error', reject)
          .end(),
      );

      // Assess
      expect([fromBrowser.status, formPost.status, rebound.status]).toEqual([403, 415, 403]);
      expect(cloud.faults.list()).toEqual([]);
    });

    it.each([
      [{ target: 'x', mode: 'explode' }, 'mode must be one of error, latency, timeout'],
      [{ target: 'x', mode: 'latency' }, 'mode latency needs latencyMs'],
      [{ target: '', mode: 'error' }, 'target must be a function name or a stack name'],
      [{ target: 'x', mode: 'error', count: 0 }, 'count must be a whole number from 1 to 1000000'],
      [{ target: 'x', mode: 'error', extra: 1 }, 'Unknown field(s): extra'],
    ])('refuses a bad fault %j with 400', async (fault, message) => {
      // Act
      const response = await fetch(`${cloud.url}/_local/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-cloud-token': cloud.adminToken.value },
        body: JSON.stringify(fault),
      });

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message });
    });
  });

  it('never logs a secret key or session token: every line of the run above, cloud and functions', async () => {
    // Arrange: a signature mismatch with a session, whose answer quotes the canonical request, token and all.
    const session = await assumeRole(cloud, 'customer-reader');
    const wrongSecret = createSignedFetch({
      credentials: { ...session, secretAccessKey: 'not-the-secret' },
      region: 'us-east-1',
      service: 'execute-api',
    });
    const mismatch = await wrongSecret(`${customerUrl}/customers/${'0'.repeat(8)}`);
    expect(mismatch.status).toBe(403);
    expect(await mismatch.text()).toContain(session.sessionToken); // as AWS's own answer does
    // Every secret the run used: the seeded keys, and each session STS issued (functions' included).
    const secrets = [
      ...cloud.identities.listUsers().flatMap((user) => user.accessKeys.map((key) => key.secretAccessKey)),
      ...cloud.identities
        .listSessions()
        .flatMap((session) => [session.secretAccessKey, session.sessionToken]),
    ];
    const lines = [...logs, ...cloud.accessLog.map((entry) => JSON.stringify(entry))];

    // Assess
    expect(cloud.identities.listSessions().length).toBeGreaterThan(3);
    expect(lines.length).toBeGreaterThan(50);
    const leaks = lines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });

  it('keeps stacks and table data across a restart in disk mode', async () => {
    // Prepare: a cloud with its state on disk, customer-service deployed, one customer written
    const stateDir = mkdtempSync(path.join(tmpdir(), 'local-cloud-state-'));
    const endpointOf = (running: LocalCloud) =>
      running.stacks()[0]?.outputs.find((output) => output.key === 'ServiceEndpoint')?.value as string;
    let running = await LocalCloud.start({ port: 0, stateDir, identitiesFile: IDENTITIES });
    try {
      await running.deploy(customerPackage);
      const created = await developer(`${endpointOf(running)}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Disk', email: 'disk@example.com' }),
      });
      const { id } = (await created.json()) as { id: string };
      await running.stop();

      // Act: start again on the same folder (nothing redeployed by hand)
      running = await LocalCloud.start({ port: 0, stateDir, identitiesFile: IDENTITIES });
      const response = await developer(`${endpointOf(running)}/customers/${id}`);

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id, name: 'Disk', email: 'disk@example.com' });
    } finally {
      await running.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 60_000);
});
