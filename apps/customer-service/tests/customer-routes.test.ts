import { httpHandler, createLogger, type HttpRoute } from '@sigv4-auth/lambda-http';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import { createCustomerRoute, getCustomerRoute, whoamiRoute } from '../src/handlers/routes';
import { CustomerRepository } from '../src/repository/customer-repository';

const TABLE = 'customers-test';
const logLines: string[] = [];
const logger = createLogger({ service: 'customer-service', write: (line) => logLines.push(line) });
const invoke = (route: HttpRoute, event: Parameters<ReturnType<typeof httpHandler>>[0]) =>
  httpHandler(logger, route)(event, lambdaContext);

describe('customer-service routes against a real DynamoDB (dynalite)', () => {
  let db: LocalDynamoDB;
  let repository: CustomerRepository;

  beforeAll(async () => {
    db = await startLocalDynamoDB();
    await db.createTable({ tableName: TABLE, hashKey: 'id' });
    repository = new CustomerRepository(db.documentClient, TABLE);
  });
  afterAll(() => db.stop());
  beforeEach(() => logLines.splice(0));

  const post = (body: string | null, isBase64Encoded = false) =>
    invoke(
      createCustomerRoute(repository, () => new Date('2026-01-02T03:04:05.000Z')),
      apiGatewayProxyEvent({
        httpMethod: 'POST',
        resource: '/customers',
        path: '/customers',
        body,
        isBase64Encoded,
      }),
    );
  const get = (id: string) =>
    invoke(
      getCustomerRoute(repository),
      apiGatewayProxyEvent({
        httpMethod: 'GET',
        resource: '/customers/{id}',
        path: `/customers/${id}`,
        pathParameters: { id },
      }),
    );

  it('creates a customer, records who created it, and reads it back', async () => {
    const created = await post(JSON.stringify({ name: ' Ada Lovelace ', email: 'Ada@Example.com' }));

    expect(created.statusCode).toBe(201);
    const customer = JSON.parse(created.body);
    expect(customer).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      createdAt: '2026-01-02T03:04:05.000Z',
      createdBy: 'arn:aws:iam::000000000000:user/developer',
    });
    expect(created.headers?.location).toBe(`/customers/${customer.id}`);
    const fetched = await get(customer.id);
    expect(fetched.statusCode).toBe(200);
    expect(JSON.parse(fetched.body)).toEqual(customer);
  });

  it('logs structured JSON with the caller userArn', async () => {
    await post(JSON.stringify({ name: 'Grace', email: 'grace@example.com' }));

    const lines = logLines.map((line) => JSON.parse(line));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'customer created',
        service: 'customer-service',
        userArn: 'arn:aws:iam::000000000000:user/developer',
      }),
    );
  });

  it('answers 404 for an unknown customer and 400 for an id that is not a UUID', async () => {
    const missing = await get('00000000-0000-4000-8000-000000000000');
    const malformed = await get('../etc/passwd');

    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      error: 'NotFound',
      message: 'Customer 00000000-0000-4000-8000-000000000000 not found',
    });
    expect(malformed.statusCode).toBe(400);
  });

  it.each([
    ['no body', null, 'Request body is required and must be a JSON object'],
    ['malformed JSON', '{"name":', 'Request body is not valid JSON'],
    ['a JSON array', '[]', 'Request body must be a JSON object'],
  ])('answers 400 for %s', async (_case, body, message) => {
    const response = await post(body);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BadRequest', message });
  });

  it('answers 400 listing every field problem', async () => {
    const response = await post(JSON.stringify({ name: 42, email: 'not-an-email', admin: true }));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'BadRequest',
      message: 'Request is invalid',
      details: [
        'body.name must be a string',
        'body.email must be an email address',
        'body.admin is not allowed',
      ],
    });
  });

  it('answers 400 for a body that is not UTF-8', async () => {
    const response = await post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), true);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toBe('Request body must be UTF-8 encoded JSON');
  });

  it('never overwrites an existing customer', async () => {
    const customer = {
      id: '11111111-1111-4111-8111-111111111111',
      name: 'First',
      email: 'first@example.com',
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: null,
    };
    await repository.create(customer);

    await expect(repository.create({ ...customer, name: 'Second' })).rejects.toThrow(
      'Customer 11111111-1111-4111-8111-111111111111 already exists',
    );
    expect((await repository.get(customer.id))?.name).toBe('First');
  });

  it('answers 500 without internals when the table is unreachable, and logs the detail', async () => {
    const broken = new CustomerRepository(db.documentClient, 'no-such-table');

    const response = await invoke(
      getCustomerRoute(broken),
      apiGatewayProxyEvent({
        httpMethod: 'GET',
        resource: '/customers/{id}',
        path: '/customers/x',
        pathParameters: { id: '00000000-0000-4000-8000-000000000000' },
      }),
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"error":"InternalServerError","message":"Internal server error"}');
    expect(logLines.join('\n')).toContain('ResourceNotFoundException');
  });

  it('whoami returns the identity API Gateway passed', async () => {
    const response = await invoke(
      whoamiRoute,
      apiGatewayProxyEvent({
        httpMethod: 'GET',
        resource: '/whoami',
        path: '/whoami',
        userArn: 'arn:aws:sts::000000000000:assumed-role/customer-reader/s1',
      }),
    );

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).identity).toMatchObject({
      userArn: 'arn:aws:sts::000000000000:assumed-role/customer-reader/s1',
      accountId: '000000000000',
    });
  });
});
