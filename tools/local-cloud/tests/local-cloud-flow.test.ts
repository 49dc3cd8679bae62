import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { packageService, removeIsolatedBuilds } from '../src/cli/package-service';
import { LocalCloud } from '../src/local-cloud';

const ROOT = path.resolve(__dirname, '../../..');
const IDENTITIES = path.join(ROOT, 'infra/local/identities.json');
const seed = JSON.parse(readFileSync(IDENTITIES, 'utf8')) as {
  users: Array<{ name: string; accessKeyId: string; secretAccessKey: string }>;
};
const keysOf = (name: string) => {
  const user = seed.users.find((candidate) => candidate.name === name);
  if (!user) throw new Error(`no user ${name}`);
  return { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey };
};

/** Packaged from a copy: never races `nx package` writing the services' own `.serverless/` meanwhile. */
function packageForTest(service: string) {
  return packageService(path.join(ROOT, 'apps', service), { isolated: true });
}

describe('the whole flow on the local cloud (in memory)', () => {
  let cloud: LocalCloud;
  let customerUrl: string;
  let orderUrl: string;
  const logs: string[] = [];
  const developer = createSignedFetch({
    credentials: keysOf('developer'),
    region: 'us-east-1',
    service: 'execute-api',
  });

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: IDENTITIES, log: (line) => logs.push(line) });
    await cloud.deploy(packageForTest('customer-service'));
    await cloud.deploy(packageForTest('order-service'));
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
      /^arn:aws:sts::000000000000:assumed-role\/order-service-local-us-east-1-lambdaRole\/order-service-local-createOrder$/,
    );
  }, 30_000);

  it('answers an unsigned request with Missing Authentication Token', async () => {
    const response = await fetch(`${customerUrl}/customers/00000000-0000-4000-8000-000000000000`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
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
});
