import { httpHandler, createLogger, type HttpRoute } from '@sigv4-auth/lambda-http';
import {
  apiGatewayProxyEvent,
  lambdaContext,
  startLocalDynamoDB,
  type LocalDynamoDB,
} from '@sigv4-auth/testing';
import { createCustomerRoute, getCustomerRoute, putCustomerRoute, whoamiRoute } from '../src/handlers/routes';
import { CustomerChangedError, CustomerRepository } from '../src/repository/customer-repository';

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

  describe('PUT /customers/{id}', () => {
    const TRIGGER_ARN =
      'arn:aws:sts::000000000000:assumed-role/identity-service-dev-us-east-1-lambdaRole/identity-service-dev-onUserConfirmed';
    let clock = 0;
    const tick = () => new Date(Date.UTC(2026, 2, 1) + ++clock * 1000);
    const put = (id: string, body: unknown, userArn = TRIGGER_ARN, customers = repository) =>
      invoke(
        putCustomerRoute(customers, tick),
        apiGatewayProxyEvent({
          httpMethod: 'PUT',
          resource: '/customers/{id}',
          path: `/customers/${id}`,
          pathParameters: { id },
          body: JSON.stringify(body),
          userArn,
        }),
      );

    it('creates the customer under the given id: 201, Location, created by the caller', async () => {
      // Arrange
      const id = '22222222-2222-4222-8222-222222222222';

      // Act
      const response = await put(id, { name: ' Ada ', email: 'Ada@Example.com' });

      // Assess
      expect(response.statusCode).toBe(201);
      expect(response.headers?.location).toBe(`/customers/${id}`);
      const customer = JSON.parse(response.body);
      expect(customer).toEqual({
        id,
        name: 'Ada',
        email: 'ada@example.com',
        createdAt: expect.any(String),
        createdBy: TRIGGER_ARN,
      });
      expect(JSON.parse((await get(id)).body)).toEqual(customer);
    });

    it('replaces an existing customer: 200, creation kept, update recorded', async () => {
      // Arrange
      const created = JSON.parse(
        (await post(JSON.stringify({ name: 'Old', email: 'old@example.com' }))).body,
      );

      // Act
      const response = await put(created.id, { name: 'New', email: 'new@example.com' }, TRIGGER_ARN);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.headers).not.toHaveProperty('location');
      const replaced = JSON.parse(response.body);
      expect(replaced).toEqual({
        id: created.id,
        name: 'New',
        email: 'new@example.com',
        createdAt: created.createdAt,
        createdBy: 'arn:aws:iam::000000000000:user/developer',
        updatedAt: expect.any(String),
        updatedBy: TRIGGER_ARN,
      });
      expect(replaced.updatedAt > created.createdAt).toBe(true);
      expect(JSON.parse((await get(created.id)).body)).toEqual(replaced);
    });

    it('answers a repeated PUT (a retried trigger) with 200 and the same data', async () => {
      // Arrange
      const id = '33333333-3333-4333-8333-333333333333';
      const body = { name: 'Grace', email: 'grace@example.com' };
      const first = JSON.parse((await put(id, body)).body);

      // Act
      const again = await put(id, body);

      // Assess
      expect(again.statusCode).toBe(200);
      expect(JSON.parse(again.body)).toMatchObject({ ...body, createdAt: first.createdAt });
    });

    it('creates one record for concurrent PUTs of a new id: one 201, the others replace it (200)', async () => {
      // Arrange
      const id = '44444444-4444-4444-8444-444444444444';

      // Act
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, n) => put(id, { name: `Writer ${n}`, email: 'race@example.com' })),
      );

      // Assess
      expect(answers.map((response) => response.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      const winner = JSON.parse(answers.find((response) => response.statusCode === 201)?.body ?? '{}');
      const stored = await repository.get(id);
      expect(stored?.createdAt).toBe(winner.createdAt);
      expect(answers.map((response) => JSON.parse(response.body).createdAt)).toEqual(
        Array(6).fill(winner.createdAt),
      );
    });

    it('gives up with 409 when the record keeps changing under it', async () => {
      // Arrange: a record that another writer replaces between every read and write.
      const id = '55555555-5555-4555-8555-555555555555';
      await put(id, { name: 'Busy', email: 'busy@example.com' });
      const contended = new (class extends CustomerRepository {
        public override async replace(): Promise<void> {
          throw new CustomerChangedError(id);
        }
      })(db.documentClient, TABLE);

      // Act
      const response = await put(id, { name: 'Late', email: 'late@example.com' }, TRIGGER_ARN, contended);

      // Assess
      expect(response.statusCode).toBe(409);
      expect(JSON.parse(response.body)).toEqual({
        error: 'Conflict',
        message: `Customer ${id} is being written concurrently: retry`,
      });
      expect((await repository.get(id))?.name).toBe('Busy');
    });
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
