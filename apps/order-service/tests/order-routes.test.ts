import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createLogger, httpHandler, type HttpRoute } from '@sigv4-auth/lambda-http';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import { signedRequestFromNode, verifySigV4 } from '@sigv4-auth/sigv4-verifier';
import { CustomerServiceClient } from '../src/clients/customer-service-client';
import { createOrderRoute } from '../src/handlers/routes';
import { OrderRepository } from '../src/repository/order-repository';

const CUSTOMER_ID = '11111111-1111-4111-8111-111111111111';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789';
const credentials = {
  accessKeyId: 'ASIAORDERSERVICE0001',
  secretAccessKey: 'secret',
  sessionToken: SESSION_TOKEN,
};
/** What the customer-service side knows of the order-service role's session (as STS issued it). */
const issued = new Map([
  [credentials.accessKeyId, { secretAccessKey: 'secret', sessionToken: SESSION_TOKEN }],
]);

describe('POST /orders against real DynamoDB and a real HTTP customer-service', () => {
  let db: LocalDynamoDB;
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: string; delayMs?: number };
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  /** Every line order-service logs: checked for secrets. */
  const logged: string[] = [];
  const logger = createLogger({ service: 'order-service', write: (line) => logged.push(line) });

  beforeAll(async () => {
    db = await startLocalDynamoDB();
    await db.createTable({ tableName: 'orders-test', hashKey: 'id' });
    // customer-service's side, as API Gateway: every request must carry a valid SigV4 signature, else 403.
    server = createServer(async (request, response) => {
      seen.push(request.headers);
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const verified = verifySigV4(signedRequestFromNode(request, Buffer.concat(chunks)), {
        now: new Date(),
        service: 'execute-api',
        region: 'us-east-1',
        lookupCredential: (accessKeyId) => issued.get(accessKeyId),
      });
      const reply = verified.ok
        ? answer
        : { status: 403, body: JSON.stringify({ message: verified.error.message }), delayMs: 0 };
      setTimeout(
        () => response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body),
        reply.delayMs ?? 0,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local`;
  });
  afterAll(async () => {
    server.close();
    await db.stop();
  });

  const placeOrder = (
    body: unknown,
    signingCredentials = credentials,
    request: { headers?: Record<string, string>; userArn?: string } = {},
  ) => {
    const orders = new OrderRepository(db.documentClient, 'orders-test');
    const customers = new CustomerServiceClient(
      baseUrl,
      createSignedFetch({
        credentials: signingCredentials,
        region: 'us-east-1',
        timeoutMs: 200,
        retry: { baseDelayMs: 1 },
      }),
    );
    const route: HttpRoute = createOrderRoute({ orders, customers });
    return httpHandler(logger, route)(
      apiGatewayProxyEvent({
        httpMethod: 'POST',
        resource: '/orders',
        path: '/orders',
        body: JSON.stringify(body),
        ...request,
      }),
      lambdaContext,
    );
  };
  /** Orders only: Idempotency-Key records share the table. */
  const orderCount = async () =>
    (
      await db.client.send(
        new ScanCommand({
          TableName: 'orders-test',
          FilterExpression: 'NOT begins_with(id, :record)',
          ExpressionAttributeValues: { ':record': { S: 'idempotency#' } },
        }),
      )
    ).Count ?? 0;
  const validOrder = { customerId: CUSTOMER_ID, items: [{ sku: 'BOOK-1', quantity: 3, unitPrice: 1999 }] };

  it('fetches the customer with a signed request carrying the session token and stores the order', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ id: CUSTOMER_ID, name: 'Ada', email: 'ada@example.com' }),
    };

    const response = await placeOrder(validOrder);

    expect(response.statusCode).toBe(201);
    const order = JSON.parse(response.body);
    expect(order).toMatchObject({ customer: { name: 'Ada' }, total: 5997, items: [{ lineTotal: 5997 }] });
    expect(seen.at(-1)).toMatchObject({
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=ASIAORDERSERVICE0001\/\d{8}\/us-east-1\/execute-api\/aws4_request/,
      ),
      'x-amz-security-token': SESSION_TOKEN,
    });
    expect(await new OrderRepository(db.documentClient, 'orders-test').get(order.id)).toEqual(order);
  });

  it.each([
    [404, '{"message":"not found"}', 422, 'UnprocessableEntity'],
    [403, '{"Message":"User: x is not authorized"}', 502, 'BadGateway'],
    [500, '{"message":"Internal server error"}', 502, 'BadGateway'],
    [502, '{"message":"Internal server error"}', 502, 'BadGateway'],
    [503, '{"message":"Service Unavailable"}', 503, 'ServiceUnavailable'],
    [429, '{"message":"Too Many Requests"}', 503, 'ServiceUnavailable'],
    [504, '{"message":"Endpoint request timed out"}', 504, 'GatewayTimeout'],
  ])('customer-service %s -> %s and no order written', async (status, body, expected, code) => {
    answer = { status, body };
    const before = await orderCount();

    const response = await placeOrder(validOrder);

    expect([response.statusCode, JSON.parse(response.body).error]).toEqual([expected, code]);
    expect(await orderCount()).toBe(before);
  });

  it.each([
    ['a wrong secret key', { ...credentials, secretAccessKey: 'not-the-secret' }],
    ['another session token', { ...credentials, sessionToken: 'stolen-elsewhere' }],
    ['an unknown access key', { ...credentials, accessKeyId: 'ASIAUNKNOWN000000000' }],
  ])(
    'answers 502 and writes no order when the signature is refused (%s)',
    async (_case, signingCredentials) => {
      answer = {
        status: 200,
        body: JSON.stringify({ id: CUSTOMER_ID, name: 'Ada', email: 'ada@example.com' }),
      };
      const refusalsBefore = seen.length;
      const countBefore = await orderCount();

      const response = await placeOrder(validOrder, signingCredentials);

      expect(response.statusCode).toBe(502);
      expect(JSON.parse(response.body).message).toMatch(/refused/i);
      expect(seen.length).toBe(refusalsBefore + 1); // a refusal is not retried
      expect(await orderCount()).toBe(countBefore);
      // A SignatureDoesNotMatch body quotes the canonical request, session token included: never logged.
      const refusal = logged.filter((line) =>
        line.includes('"message":"customer-service refused the request"'),
      );
      expect(refusal.at(-1)).toContain('"status":403');
      for (const line of logged) expect(line).not.toContain(SESSION_TOKEN);
    },
  );

  it('answers 504 when customer-service does not answer in time', async () => {
    answer = { status: 200, body: '{}', delayMs: 1000 };

    const response = await placeOrder(validOrder);

    expect(response.statusCode).toBe(504);
  });

  it.each([
    ['negative quantity', { ...validOrder, items: [{ sku: 'A', quantity: -1, unitPrice: 1 }] }],
    ['fractional price', { ...validOrder, items: [{ sku: 'A', quantity: 1, unitPrice: 1.5 }] }],
    ['huge number', { ...validOrder, items: [{ sku: 'A', quantity: 1, unitPrice: 1e20 }] }],
    ['extra field', { ...validOrder, admin: true }],
    ['no items', { customerId: CUSTOMER_ID, items: [] }],
  ])('answers 400 for %s', async (_case, body) => {
    const response = await placeOrder(body);

    expect(response.statusCode).toBe(400);
  });

  describe('Idempotency-Key', () => {
    const withKey = (key: string, userArn?: string) => ({ headers: { 'Idempotency-Key': key }, userArn });
    beforeEach(() => {
      answer = {
        status: 200,
        body: JSON.stringify({ id: CUSTOMER_ID, name: 'Ada', email: 'ada@example.com' }),
      };
    });

    it('creates exactly one order; a replay returns the same order, marked as replayed', async () => {
      // Arrange
      const before = await orderCount();

      // Act
      const first = await placeOrder(validOrder, credentials, withKey('order-attempt-1'));
      const replay = await placeOrder(validOrder, credentials, withKey('order-attempt-1'));

      // Assess
      expect(first.statusCode).toBe(201);
      expect(replay.statusCode).toBe(201);
      expect(JSON.parse(replay.body)).toEqual(JSON.parse(first.body));
      expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true' });
      expect(first.headers).not.toHaveProperty('idempotent-replayed');
      expect(await orderCount()).toBe(before + 1);
    });

    it('yields one order for concurrent duplicates (every answer is that order)', async () => {
      // Arrange
      const before = await orderCount();

      // Act
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => placeOrder(validOrder, credentials, withKey('concurrent-key'))),
      );

      // Assess
      expect(await orderCount()).toBe(before + 1);
      const ids = new Set(answers.map((response) => JSON.parse(response.body).id));
      expect(ids.size).toBe(1);
      expect(answers.map((response) => response.statusCode)).toEqual(Array(8).fill(201));
    });

    it('refuses the same key with a different body (422) and writes nothing', async () => {
      // Arrange
      await placeOrder(validOrder, credentials, withKey('reused-key'));
      const before = await orderCount();

      // Act
      const response = await placeOrder(
        { ...validOrder, items: [{ sku: 'BOOK-1', quantity: 4, unitPrice: 1999 }] },
        credentials,
        withKey('reused-key'),
      );

      // Assess
      expect(response.statusCode).toBe(422);
      expect(JSON.parse(response.body)).toEqual({
        error: 'UnprocessableEntity',
        message: 'Idempotency-Key was already used for a different request',
      });
      expect(await orderCount()).toBe(before);
    });

    it('keys belong to the principal, not its session: a retry from a new role session gets the same order', async () => {
      // Arrange: the same role, two sessions (a credential refresh, another replica).
      const session = (name: string) =>
        withKey('role-key', `arn:aws:sts::000000000000:assumed-role/checkout/${name}`);

      // Act
      const first = await placeOrder(validOrder, credentials, session('checkout-1700000000'));
      const retried = await placeOrder(validOrder, credentials, session('checkout-1700000900'));

      // Assess
      expect(JSON.parse(retried.body).id).toBe(JSON.parse(first.body).id);
      expect(retried.headers).toMatchObject({ 'idempotent-replayed': 'true' });
    });

    it('gives idempotent orders random ids (a key does not reveal an order id)', async () => {
      // Act
      const response = await placeOrder(validOrder, credentials, withKey('guessable-key'));

      // Assess
      expect(JSON.parse(response.body).id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('keeps keys per caller: another caller with the same key gets its own order', async () => {
      // Act
      const mine = await placeOrder(validOrder, credentials, withKey('shared-key'));
      const theirs = await placeOrder(
        validOrder,
        credentials,
        withKey('shared-key', 'arn:aws:sts::000000000000:assumed-role/other/session'),
      );

      // Assess
      expect(JSON.parse(theirs.body).id).not.toBe(JSON.parse(mine.body).id);
    });

    it('does not reserve the key when the order fails: a retry after customer-service recovers succeeds', async () => {
      // Arrange
      answer = { status: 500, body: '{"message":"Internal server error"}' };
      const failed = await placeOrder(validOrder, credentials, withKey('retry-after-failure'));
      answer = {
        status: 200,
        body: JSON.stringify({ id: CUSTOMER_ID, name: 'Ada', email: 'ada@example.com' }),
      };

      // Act
      const retried = await placeOrder(validOrder, credentials, withKey('retry-after-failure'));

      // Assess
      expect(failed.statusCode).toBe(502);
      expect(retried.statusCode).toBe(201);
    });

    it.each([
      ['empty', ''],
      ['too long', 'k'.repeat(256)],
      ['with a space', 'two words'],
      ['non-ASCII', 'clé'],
    ])('refuses a key that is %s with 400', async (_name, key) => {
      // Act
      const response = await placeOrder(validOrder, credentials, withKey(key));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        error: 'BadRequest',
        message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
      });
    });
  });
});
