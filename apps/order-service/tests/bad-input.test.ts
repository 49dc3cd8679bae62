import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, httpHandler, type HttpRoute } from '@sigv4-auth/lambda-http';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import { CustomerServiceClient } from '../src/clients/customer-service-client';
import { createOrderRoute, getOrderRoute } from '../src/handlers/routes';
import { OrderRepository } from '../src/repository/order-repository';

/**
 * Bad input on every order-service route: always a clear 400 `{error, message}`, never a 5xx, nothing written,
 * and customer-service never called (its URL here answers nothing: a call would turn into a 502).
 */
const TABLE = 'orders-bad-input';
const CUSTOMER_ID = '11111111-1111-4111-8111-111111111111';
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

  it.each([
    ['not a UUID', 'order-1'],
    ['a 5,000-character id', 'a'.repeat(5000)],
    ['non-ASCII', 'ßßß'],
  ])('GET /orders/{id} with %s: 400', async (_name, id) => {
    // Act
    const response = await invoke(
      getOrderRoute(orders),
      apiGatewayProxyEvent({
        httpMethod: 'GET',
        resource: '/orders/{id}',
        path: `/orders/${encodeURIComponent(id)}`,
        pathParameters: { id },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BadRequest', message: 'Order id must be a UUID' });
  });
});
