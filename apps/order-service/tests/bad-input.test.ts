import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, httpHandler, type HttpRoute } from '@sigv4-auth/lambda-http';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CustomerServiceClient } from '../src/clients/customer-service-client';
import { createMyOrderRoute, getMyOrderRoute, listMyOrdersRoute } from '../src/handlers/me-routes';
import { createOrderRoute, getOrderRoute } from '../src/handlers/routes';
import { OrderRepository } from '../src/repository/order-repository';

/**
 * Bad input on every order-service route: always a clear 400 `{error, message}`, never a 5xx, nothing written,
 * and customer-service never called (its URL here answers nothing: a call would turn into a 502).
 */
const TABLE = 'orders-bad-input';
const CUSTOMER_ID = '11111111-1111-4111-8111-111111111111';
const SUB = '22222222-2222-4222-8222-222222222222';
/** A `/me` event as the Cognito authorizer passes it: the claims of the user's verified ID token. */
const asUser = (event: APIGatewayProxyEvent, query?: Record<string, string>): APIGatewayProxyEvent => ({
  ...event,
  queryStringParameters: query ?? null,
  requestContext: { ...event.requestContext, authorizer: { claims: { sub: SUB, token_use: 'id' } } },
});
const tokenOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const pageKey = { id: CUSTOMER_ID, ownerSub: SUB, createdAt: '2025-01-01T00:00:00.000Z' };
const logger = createLogger({ service: 'order-service', write: () => undefined });
const item = { sku: 'BOOK-1', quantity: 1, unitPrice: 1000 };
const order = (overrides: Record<string, unknown>) =>
  JSON.stringify({ customerId: CUSTOMER_ID, items: [item], ...overrides });
const withItem = (overrides: Record<string, unknown>) => order({ items: [{ ...item, ...overrides }] });
const NOT_UTF8 = Buffer.concat([
  Buffer.from(`{"customerId":"${CUSTOMER_ID}","items":[{"sku":"`),
  Buffer.from([0xc3, 0x28]),
  Buffer.from('","quantity":1,"unitPrice":1}]}'),
]);

describe('order-service refuses bad input with a clear 400', () => {
  let db: LocalDynamoDB;
  let orders: OrderRepository;
  const customers = new CustomerServiceClient('http://127.0.0.1:9/unreachable', async () => {
    throw new Error('customer-service must not be called for bad input');
  });
  const invoke = (route: HttpRoute, event: Parameters<ReturnType<typeof httpHandler>>[0]) =>
    httpHandler(logger, route)(event, lambdaContext);
  const stored = async () => (await db.documentClient.send(new ScanCommand({ TableName: TABLE }))).Count ?? 0;

  beforeAll(async () => {
    db = await startLocalDynamoDB();
    await db.createTable({ tableName: TABLE, hashKey: 'id' });
    orders = new OrderRepository(db.documentClient, TABLE);
  });
  afterAll(() => db.stop());

  const post = (body: string | null, isBase64Encoded = false) =>
    invoke(
      createOrderRoute({ orders, customers }),
      apiGatewayProxyEvent({
        httpMethod: 'POST',
        resource: '/orders',
        path: '/orders',
        body,
        isBase64Encoded,
      }),
    );

  it('passes a valid body through validation (the control: it reaches customer-service, here unreachable: 502)', async () => {
    // Act
    const response = await post(order({}));

    // Assess
    expect(response.statusCode).toBe(502);
  });

  it.each<[string, string | null, boolean?]>([
    ['no body', null],
    ['malformed JSON', '{"customerId":'],
    ['a JSON array', '[{}]'],
    ['no customerId', JSON.stringify({ items: [item] })],
    ['no items', JSON.stringify({ customerId: CUSTOMER_ID })],
    ['an empty items list', order({ items: [] })],
    ['items that is not a list', order({ items: { 0: item } })],
    ['an item that is not an object', order({ items: ['BOOK-1'] })],
    ['a customerId that is not a UUID', order({ customerId: 'ada' })],
    ['a number for customerId', order({ customerId: 42 })],
    ['an extra top-level field', order({ total: 1 })],
    ['an extra item field', withItem({ lineTotal: 1 })],
    ['a negative quantity', withItem({ quantity: -1 })],
    ['a zero quantity', withItem({ quantity: 0 })],
    ['a fractional quantity', withItem({ quantity: 1.5 })],
    ['a string quantity', withItem({ quantity: '2' })],
    ['a huge quantity (1e300)', withItem({ quantity: 1e300 })],
    ['a quantity above 2^53', withItem({ quantity: 2 ** 53 + 2 })],
    ['a negative price', withItem({ unitPrice: -100 })],
    ['a fractional price (cents are integers)', withItem({ unitPrice: 9.99 })],
    ['a huge price', withItem({ unitPrice: Number.MAX_SAFE_INTEGER })],
    ['an empty sku', withItem({ sku: '' })],
    ['a 10,000-character sku', withItem({ sku: 'A'.repeat(10_000) })],
    ['a sku with a control character', withItem({ sku: 'BOOK\u00071' })],
    ['a thousand items', order({ items: Array.from({ length: 1000 }, () => item) })],
    ['bytes that are not UTF-8 (binary body)', NOT_UTF8.toString('base64'), true],
  ])('POST /orders with %s: 400', async (_name, body, isBase64Encoded = false) => {
    // Arrange
    const before = await stored();

    // Act
    const response = await post(body, isBase64Encoded);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'BadRequest', message: expect.any(String) });
    expect(await stored()).toBe(before);
  });

  const badIds: Array<[string, string]> = [
    ['not a UUID', 'order-1'],
    ['a 5,000-character id', 'a'.repeat(5000)],
    ['non-ASCII', 'ßßß'],
  ];
  it.each([
    ...badIds.map(([name, id]) => ['/orders', name, id]),
    ...badIds.map(([name, id]) => ['/me/orders', name, id]),
  ])('GET %s/{id} with %s: 400', async (route, _name, id) => {
    // Arrange
    const event = apiGatewayProxyEvent({
      httpMethod: 'GET',
      resource: `${route}/{id}`,
      path: `${route}/${encodeURIComponent(id)}`,
      pathParameters: { id },
    });

    // Act
    const response =
      route === '/orders'
        ? await invoke(getOrderRoute(orders), event)
        : await invoke(getMyOrderRoute(orders), asUser(event));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BadRequest', message: 'Order id must be a UUID' });
  });

  it.each<[string, string | null]>([
    ['a customerId (the customer is the caller, never the body)', order({})],
    ['no items', JSON.stringify({})],
    ['an empty items list', JSON.stringify({ items: [] })],
    ['an extra item field', JSON.stringify({ items: [{ ...item, lineTotal: 1 }] })],
    ['malformed JSON', '{"items":'],
    ['no body', null],
  ])('POST /me/orders with %s: 400', async (_name, body) => {
    // Arrange
    const before = await stored();

    // Act
    const response = await invoke(
      createMyOrderRoute({ orders, customers }),
      asUser(apiGatewayProxyEvent({ httpMethod: 'POST', resource: '/me/orders', path: '/me/orders', body })),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'BadRequest', message: expect.any(String) });
    expect(await stored()).toBe(before);
  });

  it.each<[string, Record<string, string>, string]>([
    ['limit 0', { limit: '0' }, 'limit must be an integer from 1 to 100'],
    ['limit 101', { limit: '101' }, 'limit must be an integer from 1 to 100'],
    ['limit 1.5', { limit: '1.5' }, 'limit must be an integer from 1 to 100'],
    ['limit -1', { limit: '-1' }, 'limit must be an integer from 1 to 100'],
    ['limit 05', { limit: '05' }, 'limit must be an integer from 1 to 100'],
    ['limit 1e2', { limit: '1e2' }, 'limit must be an integer from 1 to 100'],
    ['an empty limit', { limit: '' }, 'limit must be an integer from 1 to 100'],
    ['an empty nextToken', { nextToken: '' }, 'nextToken is not one this listing issued'],
    [
      'a nextToken that is not base64url',
      { nextToken: 'a+b/c=' },
      'nextToken is not one this listing issued',
    ],
    [
      'a nextToken that is not JSON',
      { nextToken: 'bm90LWpzb24' },
      'nextToken is not one this listing issued',
    ],
    [
      'a nextToken of a JSON list',
      { nextToken: tokenOf([pageKey]) },
      'nextToken is not one this listing issued',
    ],
    [
      "another user's nextToken",
      { nextToken: tokenOf({ ...pageKey, ownerSub: CUSTOMER_ID }) },
      'nextToken is not one this listing issued',
    ],
    [
      'a nextToken with an extra field',
      { nextToken: tokenOf({ ...pageKey, Limit: 1 }) },
      'nextToken is not one this listing issued',
    ],
    [
      'a nextToken whose keys are in another order',
      { nextToken: tokenOf({ ownerSub: SUB, id: pageKey.id, createdAt: pageKey.createdAt }) },
      'nextToken is not one this listing issued',
    ],
    [
      'a nextToken whose id is not a UUID',
      { nextToken: tokenOf({ ...pageKey, id: 'idempotency#abc' }) },
      'nextToken is not one this listing issued',
    ],
    [
      'a nextToken whose createdAt is not a timestamp',
      { nextToken: tokenOf({ ...pageKey, createdAt: 1 }) },
      'nextToken is not one this listing issued',
    ],
    [
      'a 10,000-character nextToken',
      { nextToken: 'A'.repeat(10_000) },
      'nextToken is not one this listing issued',
    ],
  ])('GET /me/orders with %s: 400', async (_name, query, message) => {
    // Act: the table has no owner index, so a request that got as far as a query would be a 500.
    const response = await invoke(
      listMyOrdersRoute(orders),
      asUser(apiGatewayProxyEvent({ httpMethod: 'GET', resource: '/me/orders', path: '/me/orders' }), query),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BadRequest', message });
  });
});
