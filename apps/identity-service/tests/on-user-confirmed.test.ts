import path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createLogger } from '@sigv4-auth/lambda-http';
import {
  LOCAL_IDENTITIES_FILE,
  LocalCloud,
  packageService,
  removeIsolatedBuilds,
  seededUserKeys,
  type PackagedService,
} from '@sigv4-auth/local-cloud';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { lambdaContext } from '@sigv4-auth/testing';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { CustomerServiceClient } from '../src/clients/customer-service-client';
import { handler } from '../src/handlers/on-user-confirmed';
import { onUserConfirmedTrigger } from '../src/handlers/triggers';

/**
 * The real trigger (its handler module, env and all, as Lambda loads it) against customer-service deployed in an
 * in-memory local cloud, which verifies the signature and evaluates IAM as API Gateway does. The trigger signs
 * with credentials of a stand-in for its execution role: the role of the packaged identity-service template,
 * policies as packaged (resolved by the local cloud's CloudFormation, import included), but assumable by the
 * developer instead of lambda.amazonaws.com. (Through Cognito itself, deployed as Lambda runs it: sign-up-flow.test.ts.)
 */
const ROOT = path.resolve(__dirname, '../../..');
const TRIGGER_ROLE = 'identity-service-local-us-east-1-lambdaRole';
/** Lambda names a function's role session after the function. */
const TRIGGER_SESSION = 'identity-service-local-onUserConfirmed';
const TRIGGER_PRINCIPAL = `arn:aws:sts::000000000000:assumed-role/${TRIGGER_ROLE}/${TRIGGER_SESSION}`;
const developer = seededUserKeys('developer');

type TriggerSource = PostConfirmationTriggerEvent['triggerSource'];

/** A PostConfirmation event as Cognito sends it for a pool whose username is the email (userName = sub). */
function postConfirmationEvent(
  attributes: { sub: string; email: string; name?: string },
  triggerSource: TriggerSource = 'PostConfirmation_ConfirmSignUp',
): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_AbCdEf123',
    userName: attributes.sub,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.0.0', clientId: '1example23456789abcdefghij' },
    triggerSource,
    request: {
      userAttributes: { ...attributes, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
    },
    response: {},
  } as PostConfirmationTriggerEvent;
}

describe('onUserConfirmed against customer-service in the local cloud', () => {
  let cloud: LocalCloud;
  let customerUrl: string;
  let triggerCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  const savedEnv = { ...process.env };
  /** Everything this process wrote to stdout meanwhile: the handler's log lines. */
  const stdout: string[] = [];
  const asDeveloper = createSignedFetch({ credentials: developer, region: 'us-east-1' });
  const customer = (id: string) => asDeveloper(`${customerUrl}/customers/${id}`);
  const lastPut = () => cloud.accessLog.filter((entry) => entry.httpMethod === 'PUT').at(-1);

  async function assumeRole(roleName: string, sessionName: string) {
    const sts = new STSClient({ region: 'us-east-1', endpoint: cloud.url, credentials: developer });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::000000000000:role/${roleName}`,
        RoleSessionName: sessionName,
      }),
    );
    return {
      accessKeyId: Credentials?.AccessKeyId as string,
      secretAccessKey: Credentials?.SecretAccessKey as string,
      sessionToken: Credentials?.SessionToken as string,
    };
  }

  /** The packaged template's execution role, as packaged but for its trust policy (the account, not Lambda). */
  function triggerRoleStandIn(identity: PackagedService): PackagedService['template'] {
    const role = identity.template.Resources.IamRoleLambdaExecution as {
      Properties: Record<string, unknown>;
    };
    return {
      Resources: {
        IamRoleLambdaExecution: {
          Type: 'AWS::IAM::Role',
          Properties: {
            ...role.Properties,
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::000000000000:root' },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
          },
        },
      },
    };
  }

  beforeAll(async () => {
    // Copies: never racing `nx package` of the same services.
    const [customerPackage, identityPackage] = await Promise.all([
      packageService(path.join(ROOT, 'apps/customer-service'), { isolated: true }),
      packageService(path.join(ROOT, 'apps/identity-service'), { isolated: true }),
    ]);
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    const customerStack = await cloud.deploy(customerPackage);
    customerUrl = customerStack.outputs.find((output) => output.key === 'ServiceEndpoint')?.value as string;
    await cloud.deploy({
      stackName: 'identity-service-local-trigger-role',
      template: triggerRoleStandIn(identityPackage),
      artifactsDir: identityPackage.artifactsDir,
    });
    triggerCredentials = await assumeRole(TRIGGER_ROLE, TRIGGER_SESSION);
    // What Lambda gives the function: the template's environment, its region and its role's credentials.
    Object.assign(process.env, {
      CUSTOMER_API_URL: customerUrl,
      CUSTOMER_API_TIMEOUT_MS: '3000',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: triggerCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: triggerCredentials.secretAccessKey,
      AWS_SESSION_TOKEN: triggerCredentials.sessionToken,
    });
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  }, 120_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = savedEnv;
    await cloud?.stop();
    removeIsolatedBuilds();
  });
  afterEach(() => cloud.faults.clear());

  it('creates the customer record of a user who confirmed sign-up, signed as its role, and returns the event unchanged', async () => {
    // Arrange
    const sub = '7d8f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6';
    const event = postConfirmationEvent({ sub, email: 'Ada@Example.com', name: 'Ada Lovelace' });
    const sent = structuredClone(event);

    // Act
    const returned = await handler(event, lambdaContext);

    // Assess
    expect(returned).toBe(event);
    expect(returned).toEqual(sent);
    const stored = await customer(sub);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({
      id: sub,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      createdAt: expect.any(String),
      createdBy: TRIGGER_PRINCIPAL,
    });
    expect(lastPut()).toMatchObject({
      resourcePath: '/customers/{id}',
      status: 201,
      principal: TRIGGER_PRINCIPAL,
    });
  });

  it('names the customer after the local part of the email when the user gave no name', async () => {
    // Arrange
    const sub = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

    // Act
    await handler(postConfirmationEvent({ sub, email: 'grace.hopper@example.com' }), lambdaContext);

    // Assess
    expect(await (await customer(sub)).json()).toMatchObject({ name: 'grace.hopper' });
  });

  it('succeeds again when Cognito retries the trigger: the record is replaced, its creation kept', async () => {
    // Arrange
    const sub = '1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f';
    const event = postConfirmationEvent({ sub, email: 'retry@example.com', name: 'Retried' });
    await handler(event, lambdaContext);
    const first = await (await customer(sub)).json();

    // Act
    const returned = await handler(event, lambdaContext);

    // Assess
    expect(returned).toBe(event);
    expect(lastPut()).toMatchObject({ status: 200, principal: TRIGGER_PRINCIPAL });
    expect(await (await customer(sub)).json()).toMatchObject({
      name: 'Retried',
      createdAt: first.createdAt,
      updatedBy: TRIGGER_PRINCIPAL,
    });
  });

  it('calls nothing for a confirmed forgotten password and returns the event unchanged', async () => {
    // Arrange
    const sub = '2d3e4f5a-6b7c-4d8e-8f9a-1b2c3d4e5f6a';
    const event = postConfirmationEvent(
      { sub, email: 'forgot@example.com' },
      'PostConfirmation_ConfirmForgotPassword',
    );
    const sent = structuredClone(event);
    const requestsBefore = cloud.accessLog.length;

    // Act
    const returned = await handler(event, lambdaContext);

    // Assess
    expect(returned).toBe(event);
    expect(returned).toEqual(sent);
    expect(cloud.accessLog.length).toBe(requestsBefore);
  });

  it('throws when customer-service refuses the record (400), so Cognito fails the confirmation', async () => {
    // Arrange: customer-service allows emails of at most 254 characters (Cognito allows 2048).
    const sub = '3e4f5a6b-7c8d-4e9f-9a0b-2c3d4e5f6a7b';
    const event = postConfirmationEvent({ sub, email: `${'l'.repeat(250)}@example.com`, name: 'Long' });

    // Act
    const outcome = handler(event, lambdaContext);

    // Assess: a message fit for the app (Cognito passes it on), the status for the log.
    await expect(outcome).rejects.toMatchObject({
      name: 'CustomerRecordError',
      message: 'The customer record could not be created',
      status: 400,
    });
    expect((await customer(sub)).status).toBe(404);
  });

  it('throws when customer-service refuses the credentials (403): a role that may not PUT customers', async () => {
    // Arrange: the same trigger code, signing as customer-reader (GET /customers/* only).
    const lines: string[] = [];
    const readerCredentials = await assumeRole('customer-reader', 'identity-service-test');
    const asReader = onUserConfirmedTrigger({
      customers: () =>
        new CustomerServiceClient(
          customerUrl,
          createSignedFetch({ credentials: readerCredentials, region: 'us-east-1' }),
        ),
      logger: createLogger({ service: 'identity-service', write: (line) => lines.push(line) }),
    });
    const sub = '4f5a6b7c-8d9e-4f0a-8b1c-3d4e5f6a7b8c';

    // Act
    const outcome = asReader(postConfirmationEvent({ sub, email: 'reader@example.com' }), lambdaContext);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'CustomerRecordError', status: 403 });
    expect((await customer(sub)).status).toBe(404);
    const refusal = lines.map((line) => JSON.parse(line)).find((line) => line.status === 403);
    expect(refusal).toMatchObject({
      level: 'ERROR',
      message: 'customer-service refused the customer record',
      errorType: 'AccessDeniedException',
      apiRequestId: expect.any(String),
      customerId: sub,
    });
  });

  it('throws when customer-service keeps failing (502 after the retries of this idempotent PUT)', async () => {
    // Arrange
    cloud.faults.add({ target: 'customer-service-local-putCustomer', mode: 'error', count: 3 });
    const sub = '5a6b7c8d-9e0f-4a1b-9c2d-4e5f6a7b8c9d';

    // Act
    const outcome = handler(postConfirmationEvent({ sub, email: 'down@example.com' }), lambdaContext);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'CustomerRecordError', status: 502 });
    expect(cloud.accessLog.slice(-3).map((entry) => [entry.httpMethod, entry.status])).toEqual([
      ['PUT', 502],
      ['PUT', 502],
      ['PUT', 502],
    ]);
  });

  it('gives the trigger role PUT /customers/* and nothing else of customer-service', async () => {
    // Arrange
    const asTrigger = createSignedFetch({ credentials: triggerCredentials, region: 'us-east-1' });

    // Act
    const get = await asTrigger(`${customerUrl}/customers/7d8f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6`);
    const post = await asTrigger(`${customerUrl}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Eve', email: 'eve@example.com' }),
    });
    const whoami = await asTrigger(`${customerUrl}/whoami`);

    // Assess
    expect([get.status, post.status, whoami.status]).toEqual([403, 403, 403]);
  });

  it('never logs the role credentials or the user’s email and name', () => {
    // Act
    const logged = stdout.join('').toLowerCase();

    // Assess: the runs above did log.
    expect(logged).toContain('"message":"customer record created"');
    for (const secret of [
      triggerCredentials.secretAccessKey,
      triggerCredentials.sessionToken,
      'ada@example.com',
      'ada lovelace',
    ]) {
      expect(logged).not.toContain(secret.toLowerCase());
    }
  });
});
