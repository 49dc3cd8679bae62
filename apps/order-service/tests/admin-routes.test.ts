import path from 'node:path';
import { SignJWT } from 'jose';
import {
  freePort,
  LOCAL_IDENTITIES_FILE,
  LocalCloud,
  machineTokenResponse,
  newRsaKeyPair,
  packageService,
  readCorporateIdp,
  removeIsolatedBuilds,
  seededUserKeys,
  staffToken,
} from '@sigv4-auth/local-cloud';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';

/**
 * The staff routes through the real services in an in-memory local cloud: staff sign in at the local corporate
 * IdP (oidc-provider, authorization code + PKCE), API Gateway calls adminAuthorizer (a TOKEN authorizer built on
 * libs/jwt-authorizer, verifying against the IdP's JWKS) and caches its policy 300 s by token, as AWS does
 * (research notes D: ../shared/research/api-gateway-authorizers.md). alice is in `support`, bob in `admin`, eve in
 * no group (infra/local/identities.json).
 */
const ROOT = path.resolve(__dirname, '../../..');
const CUSTOMER = { name: 'Grace Hopper', email: 'grace@example.com' };
const UNKNOWN_ORDER = '44444444-4444-4444-8444-444444444444';
const idp = readCorporateIdp(LOCAL_IDENTITIES_FILE);

describe('/admin routes with a Lambda authorizer on the local IdP', () => {
  let cloud: LocalCloud;
  let orderUrl: string;
  const tokens: Record<string, string> = {};
  /** Every token this test got or made: none may reach the log. */
  const everyToken: string[] = [];
  const placed: string[] = [];
  const lines: string[] = [];
  const developer = createSignedFetch({ credentials: seededUserKeys('developer'), region: 'us-east-1' });
  const previousPort = process.env.LOCAL_CLOUD_PORT;

  async function call(route: string, authorization?: string, method = 'GET') {
    const response = await fetch(`${orderUrl}${route}`, {
      method,
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const asStaff = (user: string, route: string, method = 'GET') =>
    call(route, `Bearer ${tokens[user]}`, method);
  /** Lines adminAuthorizer's function wrote: one "token accepted" or "token refused" per invocation. */
  const invocations = () =>
    lines.filter((line) => line.includes('adminAuthorizer') && /token (accepted|refused)/.test(line)).length;
  const settled = () => new Promise((resolve) => setTimeout(resolve, 200));

  beforeAll(async () => {
    // The template carries the IdP's issuer (http://127.0.0.1:<port>/oidc), so the port is chosen first.
    const port = await freePort();
    process.env.LOCAL_CLOUD_PORT = String(port);
    const packages = await Promise.all(
      ['customer-service', 'identity-service', 'order-service'].map((service) =>
        packageService(path.join(ROOT, 'apps', service), { isolated: true }),
      ),
    );
    cloud = await LocalCloud.start({
      port,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => lines.push(line),
    });
    const [customers, , orders] = [
      await cloud.deploy(packages[0]!),
      await cloud.deploy(packages[1]!),
      await cloud.deploy(packages[2]!),
    ];
    const endpoint = (stack: typeof orders) =>
      stack.outputs.find((output) => output.key === 'ServiceEndpoint')?.value as string;
    orderUrl = endpoint(orders);
    const customer = (await (
      await developer(`${endpoint(customers)}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(CUSTOMER),
      })
    ).json()) as { id: string };
    for (let index = 0; index < 3; index += 1) {
      const order = await developer(`${orderUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: customer.id,
          items: [{ sku: `SKU-${index}`, quantity: 1, unitPrice: 100 }],
        }),
      });
      expect(order.status).toBe(201);
      placed.push(((await order.json()) as { id: string }).id);
    }
    for (const user of ['alice', 'bob', 'eve'])
      tokens[user] = await staffToken(cloud.url, user, LOCAL_IDENTITIES_FILE);
    everyToken.push(...Object.values(tokens));
  }, 240_000);

  afterAll(async () => {
    await cloud?.stop();
    removeIsolatedBuilds();
    if (previousPort === undefined) delete process.env.LOCAL_CLOUD_PORT;
    else process.env.LOCAL_CLOUD_PORT = previousPort;
  });

  test('alice (support) lists every order, newest first, page by page', async () => {
    const first = await asStaff('alice', '/admin/orders?limit=2');
    expect(first.status).toBe(200);
    const ids = (first.body.orders as Array<{ id: string }>).map((order) => order.id);
    expect(ids).toEqual([placed[2], placed[1]]);
    expect(first.body.orders).toEqual([
      expect.not.objectContaining({ listing: expect.anything() }),
      expect.anything(),
    ]);
    const next = await asStaff('alice', `/admin/orders?limit=2&nextToken=${first.body.nextToken as string}`);
    expect((next.body.orders as Array<{ id: string }>).map((order) => order.id)).toEqual([placed[0]]);
    expect(next.body.nextToken).toBeUndefined();
  });

  test("alice cannot cancel: the authorizer's explicit Deny, API Gateway's 403 body", async () => {
    const answer = await asStaff('alice', `/admin/orders/${placed[0]}`, 'DELETE');
    expect(answer).toEqual({
      status: 403,
      body: { Message: 'User is not authorized to access this resource with an explicit deny' },
    });
  });

  test('bob (admin) cancels: kept, status cancelled, by bob; a second cancel returns the first', async () => {
    const answer = await asStaff('bob', `/admin/orders/${placed[1]}`, 'DELETE');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: placed[1], status: 'cancelled', cancelledBy: 'bob' });
    expect(Date.parse(answer.body.cancelledAt as string)).toBeGreaterThan(Date.now() - 60_000);
    const again = await asStaff('bob', `/admin/orders/${placed[1]}`, 'DELETE');
    expect(again.body).toEqual(answer.body);
    const read = await developer(`${orderUrl}/orders/${placed[1]}`);
    expect(await read.json()).toMatchObject({ status: 'cancelled', cancelledBy: 'bob' });
    expect((await asStaff('bob', `/admin/orders/${UNKNOWN_ORDER}`, 'DELETE')).status).toBe(404);
    expect((await asStaff('bob', '/admin/orders/not-a-uuid', 'DELETE')).status).toBe(400);
  });

  test('eve (no group) is denied both routes; a client_credentials token (no groups) too', async () => {
    for (const [route, method] of [
      ['/admin/orders', 'GET'],
      [`/admin/orders/${placed[0]}`, 'DELETE'],
    ] as const)
      expect((await asStaff('eve', route, method)).status).toBe(403);
    const answer = await machineTokenResponse(cloud.url, LOCAL_IDENTITIES_FILE);
    const { access_token: machine } = (await answer.json()) as { access_token: string };
    everyToken.push(machine);
    expect((await call('/admin/orders', `Bearer ${machine}`)).status).toBe(403);
  });

  test('no token, or not "Bearer <JWT>": 401 without an invocation', async () => {
    await settled();
    const before = invocations();
    const from = cloud.accessLog.length;
    for (const authorization of [undefined, '', tokens.alice as string, 'Bearer not-a-jwt'])
      expect(await call('/admin/orders', authorization)).toEqual({
        status: 401,
        body: { message: 'Unauthorized' },
      });
    // The gateway's own record (written before it answers): the function never ran.
    expect(cloud.accessLog.slice(from).map((entry) => entry.authorizerLatencyMs)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    await settled();
    expect(invocations()).toBe(before);
  });

  test('a token of another issuer, an expired one, a tampered one: 401 (the authorizer says Unauthorized)', async () => {
    const { privateKey } = newRsaKeyPair();
    const foreign = await new SignJWT({ sub: 'mallory', groups: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'mallory' })
      .setIssuer('https://evil.example.com')
      .setAudience(idp?.audience ?? '')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    cloud.clock.advance(-2 * 3600 * 1000);
    let expired: string;
    try {
      expired = await staffToken(cloud.url, 'bob', LOCAL_IDENTITIES_FILE);
    } finally {
      cloud.clock.reset();
    }
    const [header, payload, signature] = (tokens.alice as string).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, groups: ['admin'] })).toString('base64url'),
      signature,
    ].join('.');
    everyToken.push(foreign, expired, tampered);
    await settled();
    const before = invocations();
    for (const token of [foreign, expired, tampered])
      expect(await call(`/admin/orders/${placed[0]}`, `Bearer ${token}`, 'DELETE')).toEqual({
        status: 401,
        body: { message: 'Unauthorized' },
      });
    await settled();
    expect(invocations()).toBe(before + 3);
    // Refused ones are not cached: the same tampered token calls the authorizer again.
    await call('/admin/orders', `Bearer ${tampered}`);
    await settled();
    expect(invocations()).toBe(before + 4);
  });

  test('the same token twice: one invocation (cached, in the access log); past the 300 s TTL: invoked again', async () => {
    const token = await staffToken(cloud.url, 'alice', LOCAL_IDENTITIES_FILE);
    everyToken.push(token);
    await settled();
    const before = invocations();
    const start = cloud.accessLog.length;
    expect((await call('/admin/orders', `Bearer ${token}`)).status).toBe(200);
    expect((await call('/admin/orders', `Bearer ${token}`)).status).toBe(200);
    // A cached Allow is evaluated again for the next route: alice's cached policy still denies DELETE.
    expect((await call(`/admin/orders/${placed[0]}`, `Bearer ${token}`, 'DELETE')).status).toBe(403);
    await settled();
    expect(invocations()).toBe(before + 1);
    expect(cloud.accessLog.slice(start).map((entry) => entry.decision?.cached)).toEqual([false, true, true]);
    // Past the TTL on the cloud clock: the authorizer runs again. Functions follow the cloud clock too, so the
    // backend's own DynamoDB call (signed with the function's time) still passes SigV4 at +301 s.
    cloud.clock.advance(301_000);
    try {
      expect((await call('/admin/orders', `Bearer ${token}`)).status).toBe(200);
    } finally {
      cloud.clock.reset();
    }
    await settled();
    expect(invocations()).toBe(before + 2);
    expect(cloud.accessLog.at(-1)?.decision).toMatchObject({ check: 'lambda-authorizer', cached: false });
  });

  test('the local log explains each decision: the policy, the method ARN, the deciding statement, cached or fresh', () => {
    const decisions = lines.filter((line) => line.includes('authorizer adminAuthorizer ('));
    expect(
      decisions.some((line) => /\(fresh, \d+ ms\) principalId alice: .*policy returned: \{/.test(line)),
    ).toBe(true);
    expect(
      decisions.some(
        (line) =>
          line.includes('(cached) principalId alice') &&
          line.includes('/DELETE/admin/orders/') &&
          line.includes('explicit deny by statement'),
      ),
    ).toBe(true);
    // Never a token in the log.
    expect(everyToken.length).toBeGreaterThanOrEqual(8);
    for (const token of everyToken) expect(lines.join('\n')).not.toContain(token);
  });
});
