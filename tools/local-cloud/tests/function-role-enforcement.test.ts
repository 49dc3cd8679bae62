import path from 'node:path';
import { buildSync } from 'esbuild';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';

// A function's AWS calls are authorized with its execution role, as on AWS: a statement missing from the role is
// AWS's AccessDeniedException inside the function, with the role session as the caller
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html; message format:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
describe('a function’s DynamoDB calls are checked against its own role', () => {
  let cloud: LocalCloud;
  let url: string;
  const table = 'fixture-notes';
  const tableArn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;

  beforeAll(async () => {
    // The fixture handler bundled with the real SDK, as serverless-esbuild bundles the services' functions.
    const bundle = buildSync({
      entryPoints: [path.join(__dirname, 'fixtures', 'dynamodb-caller', 'handler.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
    });
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    ({ url } = await deployProbeStack(cloud, {
      stackName: 'role-fixture',
      authorizationType: 'NONE',
      timeoutSeconds: 10,
      handlerSource: bundle.outputFiles[0]?.text,
      environment: { TABLE: table },
      // Deliberately without dynamodb:DeleteItem.
      roleStatements: [
        {
          Sid: 'ReadAndWriteNotes',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: { 'Fn::GetAtt': ['Notes', 'Arn'] },
        },
      ],
      extraResources: {
        Notes: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: table,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          },
        },
      },
    }));
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  const call = async (operation: string) => (await fetch(`${url}/${operation}`)).json();

  it('lets the function make the calls its role allows', async () => {
    // Act
    const put = await call('put');
    const get = await call('get');

    // Assess
    expect(put).toEqual({ ok: true });
    expect(get).toEqual({ ok: true, item: { id: 'fixture', note: 'hello' } });
  }, 30_000);

  it('refuses the call its role lacks with AWS’s AccessDeniedException, naming the role session', async () => {
    // Act
    const deleted = await call('delete');
    const still = await call('get');

    // Assess
    expect(deleted).toEqual({
      ok: false,
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::000000000000:assumed-role/role-fixture-ProbeRole-5UJ67KCMA152/role-fixture-fn is not authorized to perform: dynamodb:DeleteItem on resource: ${tableArn} because no identity-based policy allows the dynamodb:DeleteItem action`,
    });
    expect(still).toMatchObject({ ok: true, item: { id: 'fixture' } });
  }, 30_000);
});
