import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, httpHandler, type HttpRoute } from '@sigv4-auth/lambda-http';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import { CustomerServiceClient } from '../src/clients/customer-service-client';
import { createOrderRoute } from '../src/handlers/routes';
import { OrderRepository } from '../src/repository/order-repository';

const CUSTOMER_ID = '11111111-1111-4111-8111-111111111111';
const credentials = { accessKeyId: 'ASIAORDERSERVICE0001', secretAccessKey: 'secret', sessionToken: 'token' };

describe('POST /orders against real DynamoDB and a real HTTP customer-service', () => {
  let db: LocalDynamoDB;
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: string; delayMs?: number };
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const logger = createLogger({ service: 'order-service', write: () => undefined });

  beforeAll(async () => {
    db = await startLocalDynamoDB();
    await db.createTable({ tableName: 'orders-test', hashKey: 'id' });
    server = createServer((request, response) => {
      seen.push(request.headers);
      setTimeout(
        () => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body),
        answer.delayMs ?? 0,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local`;
  });
  afterAll(async () => {
    server.close();
    await db.stop();
  });

  const placeOrder = (body: unknown) => {
    const orders = new OrderRepository(db.documentClient, 'orders-test');
    const customers = new CustomerServiceClient(
      baseUrl,
      createSignedFetch({ credentials, region: 'us-east-1', timeoutMs: 200, retry: { baseDelayMs: 1 } }),
    );
    const route: HttpRoute = createOrderRoute({ orders, customers });
    return httpHandler(logger, route)(
      apiGatewayProxyEvent({
        httpMethod: 'POST',
        resource: '/orders',
        path: '/orders',
        body: JSON.stringify(body),
      }),
      lambdaContext,
    );
  };
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
      'x-amz-security-token': 'token',
    });
    expect(await new OrderRepository(db.documentClient, 'orders-test').get(order.id)).toEqual(order);
  });

  it.each([
    [404, '{"message":"not found"}', 422, 'UnprocessableEntity'],
    [403, '{"Message":"User: x is not authorized"}', 502, 'BadGateway'],
    [500, '{"message":"Internal server error"}', 502, 'BadGateway'],
  ])('customer-service %s -> %s and no order written', async (status, body, expected, code) => {
    answer = { status, body };
    const before = (
      await db.client.send(
        new (await import('@aws-sdk/client-dynamodb')).ScanCommand({ TableName: 'orders-test' }),
      )
    ).Count;

    const response = await placeOrder(validOrder);

    expect([response.statusCode, JSON.parse(response.body).error]).toEqual([expected, code]);
    const after = (
      await db.client.send(
        new (await import('@aws-sdk/client-dynamodb')).ScanCommand({ TableName: 'orders-test' }),
      )
    ).Count;
    expect(after).toBe(before);
  });

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
});
