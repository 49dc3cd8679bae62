import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  lastMailedCode,
  LOCAL_IDENTITIES_FILE,
  LocalCloud,
  packageService,
  removeIsolatedBuilds,
  seededUserKeys,
  cognitoClient,
} from '@sigv4-auth/local-cloud';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { APIGatewayClient, GetApiKeysCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';

/**
 * The end-user and partner routes through the real services in an in-memory local cloud: customer-service,
 * identity-service and order-service deployed from their packaged templates; two shop users sign up, confirm
 * (the PostConfirmation trigger creates each one's customer record, id = sub) and sign in; a partner system gets a
 * client_credentials token. The gateway's Cognito authorizer checks every token, the order-service resource
 * policy must allow the signed-in callers, and the functions take who the caller is from the verified claims only.
 */
const ROOT = path.resolve(__dirname, '../../..');
const PASSWORD = 'Shop-Password-1';
const UNKNOWN_ORDER = '44444444-4444-4444-8444-444444444444';
const item = (sku: string) => ({ sku, quantity: 2, unitPrice: 1250 });

interface User {
  email: string;
  sub: string;
  idToken: string;
  accessToken: string;
}
interface Answer {
  status: number;
  body: Record<string, unknown> & { id?: string; orders?: Array<{ id: string }>; nextToken?: string };
  headers: Headers;
}

describe('/me and /partner routes on the local cloud', () => {
  let cloud: LocalCloud;
  let cognito: CognitoIdentityProviderClient;
  let orderUrl: string;
  let ada: User;
  let bob: User;
  let partnerToken: string;
  /** The partner's API key (generated at deploy, read as a user would: get-api-keys --include-values). */
  let partnerKey: string;
  let apiGateway: APIGatewayClient;
  /** Ada's orders, in the order she placed them. */
  const adaOrders: Array<Answer['body']> = [];
  const bobOrders: Array<Answer['body']> = [];
  const lines: string[] = [];
  const signed = (user: string) =>
    createSignedFetch({ credentials: seededUserKeys(user), region: 'us-east-1' });

  /** A request to order-service with `authorization` as the token's raw text (the console's form), if any. */
  async function call(
    route: string,
    token?: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const response = await fetch(`${orderUrl}${route}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token === undefined ? {} : { authorization: token }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return {
      status: response.status,
      body: (await response.json()) as Answer['body'],
      headers: response.headers,
    };
  }
  const placeOrder = (user: User, body: unknown, headers?: Record<string, string>) =>
    call('/me/orders', user.idToken, { method: 'POST', body, headers });

  /** Sign-up, the mailed code, confirmation (which creates the customer record), then sign-in. */
  async function signUp(email: string, name: string, clientId: string): Promise<User> {
    const { UserSub } = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'name', Value: name }],
      }),
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: lastMailedCode(lines, email),
      }),
    );
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD },
      }),
    );
    return {
      email,
      sub: UserSub as string,
      idToken: AuthenticationResult?.IdToken as string,
      accessToken: AuthenticationResult?.AccessToken as string,
    };
  }

  beforeAll(async () => {
    const packages = await Promise.all(
      ['customer-service', 'identity-service', 'order-service'].map((service) =>
        packageService(path.join(ROOT, 'apps', service), { isolated: true }),
      ),
    );
    cloud = await LocalCloud.start({
      port: 0,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => lines.push(line),
    });
    const [, identity, orders] = [
      await cloud.deploy(packages[0]!),
      await cloud.deploy(packages[1]!),
      await cloud.deploy(packages[2]!),
    ];
    const output = (stack: typeof identity, key: string) =>
      stack.outputs.find((entry) => entry.key === key)?.value as string;
    orderUrl = output(orders, 'ServiceEndpoint');
    cognito = cognitoClient(cloud.url);
    const webClientId = output(identity, 'WebClientId');
    ada = await signUp('ada@example.com', 'Ada Lovelace', webClientId);
    bob = await signUp('bob@example.com', 'Bob Babbage', webClientId);

    const partnerClientId = output(identity, 'PartnerClientId');
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: output(identity, 'UserPoolId'),
        ClientId: partnerClientId,
      }),
    );
    const token = await fetch(`${cloud.url}/_aws/cognito-idp/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${partnerClientId}:${UserPoolClient?.ClientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    partnerToken = ((await token.json()) as { access_token: string }).access_token;
    apiGateway = new APIGatewayClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: seededUserKeys('developer'),
    });
    const { items } = await apiGateway.send(new GetApiKeysCommand({ includeValues: true }));
    partnerKey = items?.find((key) => key.name === 'partner-acme-local')?.value as string;

    for (const sku of ['BOOK-1', 'BOOK-2', 'BOOK-3']) {
      const placed = await placeOrder(ada, { items: [item(sku)] });
      expect(placed.status).toBe(201);
      adaOrders.push(placed.body);
    }
  }, 240_000);

  afterAll(async () => {
    cognito?.destroy();
    apiGateway?.destroy();
    await cloud?.stop();
    removeIsolatedBuilds();
  });

  describe('POST /me/orders', () => {
    it("places an order for the caller's own customer record (customer id = sub), owned by the caller", async () => {
      // Act
      const placed = await placeOrder(ada, { items: [item('PEN-1')] });
      adaOrders.push(placed.body);

      // Assess
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({
        customerId: ada.sub,
        ownerSub: ada.sub,
        customer: { id: ada.sub, name: 'Ada Lovelace', email: 'ada@example.com' },
        items: [{ sku: 'PEN-1', quantity: 2, unitPrice: 1250, lineTotal: 2500 }],
        total: 2500,
        createdBy: null,
      });
      expect(placed.headers.get('location')).toBe(`/me/orders/${placed.body.id}`);
    });

    it('refuses a body that names a customer, even the caller (400), and places nothing', async () => {
      // Act
      const named = await placeOrder(ada, { customerId: bob.sub, items: [item('BOOK-1')] });
      const listed = await call('/me/orders?limit=100', bob.idToken);

      // Assess
      expect(named.status).toBe(400);
      expect(named.body).toMatchObject({ error: 'BadRequest', details: ['body.customerId is not allowed'] });
      expect(listed.body.orders).toEqual([]);
    });

    it('keeps Idempotency-Keys per user: a replay is the same order, the same key of another user its own', async () => {
      // Act
      const first = await placeOrder(ada, { items: [item('LAMP-1')] }, { 'idempotency-key': 'checkout-42' });
      const replay = await placeOrder(ada, { items: [item('LAMP-1')] }, { 'idempotency-key': 'checkout-42' });
      const bobs = await placeOrder(bob, { items: [item('LAMP-1')] }, { 'idempotency-key': 'checkout-42' });
      const changed = await placeOrder(
        ada,
        { items: [item('LAMP-2')] },
        { 'idempotency-key': 'checkout-42' },
      );
      adaOrders.push(first.body);
      bobOrders.push(bobs.body);

      // Assess
      expect([first.status, replay.status, bobs.status]).toEqual([201, 201, 201]);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(bobs.headers.get('idempotent-replayed')).toBeNull();
      expect(bobs.body).toMatchObject({ ownerSub: bob.sub, customerId: bob.sub });
      expect(bobs.body.id).not.toBe(first.body.id);
      expect(changed.status).toBe(422);
      expect((await call(`/me/orders/${bobs.body.id}`, bob.idToken)).status).toBe(200);
      expect((await call(`/me/orders/${bobs.body.id}`, ada.idToken)).status).toBe(404);
    });
  });

  describe('GET /me/orders', () => {
    it("lists the caller's orders newest first", async () => {
      // Act
      const listed = await call('/me/orders', ada.idToken);

      // Assess
      expect(listed.status).toBe(200);
      expect(listed.body.orders?.map((order) => order.id)).toEqual(
        adaOrders.map((order) => order.id).reverse(),
      );
      expect(listed.body.orders?.[0]).toEqual(adaOrders.at(-1));
      expect(listed.body).not.toHaveProperty('nextToken');
    });

    it('pages with limit and nextToken, every order once, the last page without a nextToken', async () => {
      // Act
      const pages: Answer[] = [await call('/me/orders?limit=2', ada.idToken)];
      while (pages.at(-1)?.body.nextToken !== undefined)
        pages.push(
          await call(
            `/me/orders?limit=2&nextToken=${encodeURIComponent(pages.at(-1)?.body.nextToken as string)}`,
            ada.idToken,
          ),
        );

      // Assess: 5 orders in pages of 2, 2, 1.
      expect(pages.map((page) => [page.status, page.body.orders?.length])).toEqual([
        [200, 2],
        [200, 2],
        [200, 1],
      ]);
      expect(pages.flatMap((page) => page.body.orders?.map((order) => order.id))).toEqual(
        adaOrders.map((order) => order.id).reverse(),
      );
    });

    it("shows another user none of the caller's orders, and refuses them the caller's nextToken (400)", async () => {
      // Arrange
      const adas = await call('/me/orders?limit=1', ada.idToken);

      // Act
      const bobsList = await call('/me/orders', bob.idToken);
      const withAdasToken = await call(
        `/me/orders?nextToken=${encodeURIComponent(adas.body.nextToken as string)}`,
        bob.idToken,
      );

      // Assess
      expect(bobsList.body.orders).toEqual(bobOrders);
      expect(withAdasToken.status).toBe(400);
      expect(withAdasToken.body).toEqual({
        error: 'BadRequest',
        message: 'nextToken is not one this listing issued',
      });
    });

    it('refuses a limit above 100 (400)', async () => {
      // Act
      const listed = await call('/me/orders?limit=101', ada.idToken);

      // Assess
      expect(listed).toMatchObject({ status: 400, body: { error: 'BadRequest' } });
    });
  });

  describe('GET /me/orders/{id}', () => {
    it("answers the caller's own order", async () => {
      // Act
      const read = await call(`/me/orders/${adaOrders[0]?.id}`, ada.idToken);

      // Assess
      expect(read).toMatchObject({ status: 200, body: adaOrders[0] });
    });

    it("answers another user's order exactly as one that does not exist (404), so ids cannot be probed", async () => {
      // Act
      const adas = await call(`/me/orders/${adaOrders[0]?.id}`, bob.idToken);
      const missing = await call(`/me/orders/${UNKNOWN_ORDER}`, bob.idToken);

      // Assess
      expect(adas.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(adas.body).toEqual({ error: 'NotFound', message: `Order ${adaOrders[0]?.id} not found` });
      expect(missing.body).toEqual({ error: 'NotFound', message: `Order ${UNKNOWN_ORDER} not found` });
    });

    it("counts as the caller's only what they placed through /me: an order placed for their customer id over IAM is not", async () => {
      // Arrange
      const placed = await signed('developer')(`${orderUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: ada.sub, items: [item('DESK-1')] }),
      });
      const { id } = (await placed.json()) as { id: string };

      // Act
      const read = await call(`/me/orders/${id}`, ada.idToken);
      const listed = await call('/me/orders?limit=100', ada.idToken);

      // Assess
      expect(placed.status).toBe(201);
      expect(read.status).toBe(404);
      expect(listed.body.orders?.map((order) => order.id)).not.toContain(id);
    });
  });

  describe('the gateway takes only an ID token of the pool on /me', () => {
    const routes = [
      ['POST', '/me/orders'],
      ['GET', '/me/orders'],
      ['GET', `/me/orders/${UNKNOWN_ORDER}`],
    ];
    it.each(routes)(
      '%s %s: 401 without a token, with an access token, a partner token or a forged one',
      async (method, route) => {
        // Act
        const answers = await Promise.all(
          [undefined, ada.accessToken, partnerToken, `${ada.idToken.slice(0, -4)}AAAA`].map((token) =>
            call(route, token, { method, body: method === 'POST' ? { items: [item('BOOK-1')] } : undefined }),
          ),
        );

        // Assess
        expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
          Array(4).fill([401, { message: 'Unauthorized' }]),
        );
      },
    );
  });

  describe('a web page on another origin can use /me (cors: true, gateway responses)', () => {
    it('gets the preflight answered without a token, and the CORS header on successes and on the gateway’s 401', async () => {
      // Act
      const preflight = await fetch(`${orderUrl}/me/orders`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
      });
      const listed = await call('/me/orders', ada.idToken);
      const refused = await call('/me/orders');
      const missing = await call(`/me/orders/${UNKNOWN_ORDER}`, ada.idToken);

      // Assess
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
      for (const answer of [listed, refused, missing])
        expect([answer.status, answer.headers.get('access-control-allow-origin')]).toEqual([
          answer.status,
          '*',
        ]);
      expect([listed.status, refused.status, missing.status]).toEqual([200, 401, 404]);
    });
  });

  describe('GET /partner/orders/{id}', () => {
    it('answers any order to a partner system with its client_credentials token, 404 for an unknown id', async () => {
      // Act
      const read = await call(`/partner/orders/${adaOrders[0]?.id}`, partnerToken, {
        headers: { 'x-api-key': partnerKey },
      });
      const missing = await call(`/partner/orders/${UNKNOWN_ORDER}`, partnerToken, {
        headers: { 'x-api-key': partnerKey },
      });

      // Assess
      expect(read).toMatchObject({ status: 200, body: adaOrders[0] });
      expect(missing).toMatchObject({ status: 404, body: { error: 'NotFound' } });
    });

    it("refuses a user's ID token, their access token (no orders-api scope) and no token: 401", async () => {
      // Act
      const answers = await Promise.all(
        [ada.idToken, ada.accessToken, undefined].map((token) =>
          call(`/partner/orders/${adaOrders[0]?.id}`, token, { headers: { 'x-api-key': partnerKey } }),
        ),
      );

      // Assess
      expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
        Array(3).fill([401, { message: 'Unauthorized' }]),
      );
    });

    it('needs the API key too: a valid token without it (or with a made-up one) is 403 Forbidden', async () => {
      // Act: the key identifies the partner, the token authenticates it; neither does without the other.
      const answers = await Promise.all(
        ([{}, { 'x-api-key': 'MadeUpKeyValue0123456789' }] as Array<Record<string, string>>).map((headers) =>
          call(`/partner/orders/${adaOrders[0]?.id}`, partnerToken, { headers }),
        ),
      );

      // Assess
      expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
        Array(2).fill([403, { message: 'Forbidden' }]),
      );
    });

    it('meters the partner with the "partners" usage plan: a burst past 20 gets 429 Too Many Requests', async () => {
      // Arrange: the plan as deployed (serverless.yml provider.apiGateway.usagePlan).
      const { items } = await apiGateway.send(new GetUsagePlansCommand({}));
      expect(items?.find((plan) => plan.name === 'order-service-partners-local')).toMatchObject({
        throttle: { burstLimit: 20, rateLimit: 10 },
        quota: { limit: 10000, period: 'DAY' },
      });

      // Act: 40 at once; the bucket holds 18 to 20 (2 spent above, refilled at 10 a second since). The cloud's clock
      // stands still meanwhile, so nothing refills during the burst however long 2 busy cores take to answer it.
      cloud.clock.freeze();
      let answers: Array<{ status: number; body: unknown }>;
      try {
        answers = await Promise.all(
          Array.from({ length: 40 }, () =>
            call(`/partner/orders/${adaOrders[0]?.id}`, partnerToken, {
              headers: { 'x-api-key': partnerKey },
            }),
          ),
        );
      } finally {
        cloud.clock.reset();
      }

      // Assess: what the bucket held, no more.
      const passed = answers.filter((answer) => answer.status === 200).length;
      expect(passed).toBeGreaterThanOrEqual(18);
      expect(passed).toBeLessThanOrEqual(20);
      expect(answers.find((answer) => answer.status === 429)?.body).toEqual({ message: 'Too Many Requests' });
      // About 20 execution environments start at once for the burst: seconds on 2 busy cores (npm test runs projects
      // side by side), not the 5 s jest allows by default.
    }, 30_000);
  });

  describe('the AWS_IAM routes beside them', () => {
    it('still refuse a principal of another account (explicit deny) and serve the account (200)', async () => {
      // Act
      const crossAccount = await signed('partner')(`${orderUrl}/orders/${adaOrders[0]?.id}`);
      const sameAccount = await signed('developer')(`${orderUrl}/orders/${adaOrders[0]?.id}`);

      // Assess
      expect(crossAccount.status).toBe(403);
      expect(((await crossAccount.json()) as { Message: string }).Message).toMatch(
        /^User: arn:aws:iam::111111111111:user\/partner is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:\w+\/local\/GET\/orders\/[\w-]+ with an explicit deny$/,
      );
      expect(sameAccount.status).toBe(200);
      expect(await sameAccount.json()).toEqual(adaOrders[0]);
    });
  });
});
