import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { httpHandler, createLogger, type HttpRoute } from '@sigv4-auth/lambda-http';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import { createCustomerRoute, getCustomerRoute, putCustomerRoute } from '../src/handlers/routes';
import type { Customer } from '../src/domain/customer';
import { CustomerRepository } from '../src/repository/customer-repository';

/**
 * Bad input on every customer-service route: always a clear 400 `{error, message}`, never a 5xx, and nothing
 * written. (The handlers run against real DynamoDB, so a slipped-through value would be stored.)
 */
const TABLE = 'customers-bad-input';
const logger = createLogger({ service: 'customer-service', write: () => undefined });
const NOT_UTF8 = Buffer.concat([
  Buffer.from('{"name":"'),
  Buffer.from([0xff, 0xfe, 0xc3]),
  Buffer.from('","email":"a@b.co"}'),
]);

const valid = { name: 'Ada Lovelace', email: 'ada@example.com' };
/** Bodies of `POST /customers` and `PUT /customers/{id}` that are refused: [case, body, base64-encoded?]. */
const BAD_BODIES: Array<[string, string | null, boolean?]> = [
  ['no body', null],
  ['an empty body', ''],
  ['malformed JSON', '{"name": "Ada",'],
  ['a JSON array', '[]'],
  ['a JSON string', '"Ada"'],
  ['JSON null', 'null'],
  ['a number for name', JSON.stringify({ ...valid, name: 42 })],
  ['a boolean for email', JSON.stringify({ ...valid, email: true })],
  ['an object for name', JSON.stringify({ ...valid, name: { first: 'Ada' } })],
  ['no name', JSON.stringify({ email: valid.email })],
  ['no email', JSON.stringify({ name: valid.name })],
  ['an extra field', JSON.stringify({ ...valid, admin: true })],
  ['a blank name', JSON.stringify({ ...valid, name: '   ' })],
  ['a 10,000-character name', JSON.stringify({ ...valid, name: 'a'.repeat(10_000) })],
  ['a 1 MB email', JSON.stringify({ ...valid, email: `${'a'.repeat(1_000_000)}@example.com` })],
  ['an email without @', JSON.stringify({ ...valid, email: 'ada.example.com' })],
  ['a control character in the name', JSON.stringify({ ...valid, name: 'Ada\u0000Lovelace' })],
  ['a newline in the name (log forging)', JSON.stringify({ ...valid, name: 'Ada\n{"level":"error"}' })],
  ['U+FFFD in the name (bytes that were not UTF-8)', JSON.stringify({ ...valid, name: 'Ada \ufffd' })],
  ['a lone surrogate in the name', JSON.stringify({ ...valid, name: 'Ada \ud800' })],
  ['a bidi override in the name', JSON.stringify({ ...valid, name: 'Ada \u202eecilA' })],
  ['bytes that are not UTF-8 (binary body)', NOT_UTF8.toString('base64'), true],
  ['a huge nesting depth', `${'['.repeat(5000)}${']'.repeat(5000)}`],
];
const BAD_IDS: Array<[string, string]> = [
  ['not a UUID', 'ada'],
  ['an upper-case UUID', '11111111-1111-4111-8111-11111111111A'],
  ['a 5,000-character id', 'a'.repeat(5000)],
  ['non-ASCII', 'üüü'],
  ['a UUID with a suffix', '11111111-1111-4111-8111-111111111111x'],
];

describe('customer-service refuses bad input with a clear 400', () => {
  let db: LocalDynamoDB;
  let repository: CustomerRepository;
  const invoke = (route: HttpRoute, event: Parameters<ReturnType<typeof httpHandler>>[0]) =>
    httpHandler(logger, route)(event, lambdaContext);
  const stored = async () => (await db.documentClient.send(new ScanCommand({ TableName: TABLE }))).Count ?? 0;

  const EXISTING: Customer = {
    id: '66666666-6666-4666-8666-666666666666',
    ...valid,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: null,
  };

  beforeAll(async () => {
    db = await startLocalDynamoDB();
    await db.createTable({ tableName: TABLE, hashKey: 'id' });
    repository = new CustomerRepository(db.documentClient, TABLE);
    await repository.create(EXISTING);
  });
  afterAll(() => db.stop());

  const post = (body: string | null, isBase64Encoded = false) =>
    invoke(
      createCustomerRoute(repository),
      apiGatewayProxyEvent({
        httpMethod: 'POST',
        resource: '/customers',
        path: '/customers',
        body,
        isBase64Encoded,
      }),
    );
  const put = (id: string, body: string | null, isBase64Encoded = false) =>
    invoke(
      putCustomerRoute(repository),
      apiGatewayProxyEvent({
        httpMethod: 'PUT',
        resource: '/customers/{id}',
        path: `/customers/${encodeURIComponent(id)}`,
        pathParameters: { id },
        body,
        isBase64Encoded,
      }),
    );
  it('accepts the valid body every case below changes one thing of (the control)', async () => {
    // Act
    const response = await post(JSON.stringify(valid));

    // Assess
    expect(response.statusCode).toBe(201);
  });

  it('accepts the valid body on PUT, replacing (the control)', async () => {
    // Act
    const response = await put(EXISTING.id, JSON.stringify(valid));

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it.each(BAD_BODIES)('POST /customers with %s: 400', async (_name, body, isBase64Encoded = false) => {
    // Arrange
    const before = await stored();

    // Act
    const response = await post(body, isBase64Encoded);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'BadRequest', message: expect.any(String) });
    expect(await stored()).toBe(before);
  });

  it.each(BAD_BODIES)(
    'PUT /customers/{id} of an existing customer with %s: 400, the customer unchanged',
    async (_name, body, isBase64Encoded = false) => {
      // Arrange
      const before = await stored();
      const customer = await repository.get(EXISTING.id);

      // Act
      const response = await put(EXISTING.id, body, isBase64Encoded);

      // Assess
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'BadRequest', message: expect.any(String) });
      expect(await stored()).toBe(before);
      expect(await repository.get(EXISTING.id)).toEqual(customer);
    },
  );

  it.each(BAD_IDS)('PUT /customers/{id} with %s: 400, nothing written', async (_name, id) => {
    // Arrange
    const before = await stored();

    // Act
    const response = await put(id, JSON.stringify(valid));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BadRequest', message: 'Customer id must be a UUID' });
    expect(await stored()).toBe(before);
  });

  it.each(BAD_IDS)('GET /customers/{id} with %s: 400', async (_name, id) => {
    // Act
    const response = await invoke(
      getCustomerRoute(repository),
      apiGatewayProxyEvent({
        httpMethod: 'GET',
        resource: '/customers/{id}',
        path: `/customers/${encodeURIComponent(id)}`,
        pathParameters: { id },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BadRequest', message: 'Customer id must be a UUID' });
  });
});
