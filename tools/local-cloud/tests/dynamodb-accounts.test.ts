import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { identitiesWith } from '../src/testing/identities-file';

// A user of another account whose own policy allows every DynamoDB action: what it may reach is decided by accounts.
const { file, keyOf } = identitiesWith([
  {
    name: 'partner-admin',
    accountId: '111111111111',
    statements: [{ Sid: 'AllDynamoDB', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }],
  },
]);

// Tables belong to their account: "In an AWS account, table names must be unique within each Region"
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html), and a table of another
// account is reached only by its ARN with an allow in both the identity and the resource policy
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-auth-iam-id-based-policies-DDB.html).
// A security review had the partner identity of account 111111111111 list, scan, update and delete account
// 000000000000's tables.
describe('DynamoDB: one namespace per account', () => {
  let cloud: LocalCloud;
  let developer: DynamoDBClient;
  let partner: DynamoDBClient;
  const table = 'customers';
  const client = (name: string) =>
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cloud.url,
      credentials: name === 'developer' ? seededUserKeys(name) : keyOf(name),
      maxAttempts: 1,
    });
  const create = (dynamodb: DynamoDBClient) =>
    dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: Error) => ({ name: error.name, message: error.message }),
    );

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: file });
    developer = client('developer');
    partner = client('partner-admin');
    await create(developer);
    await developer.send(
      new PutItemCommand({ TableName: table, Item: { id: { S: '1' }, name: { S: 'Ada' } } }),
    );
  }, 60_000);

  afterAll(async () => {
    developer?.destroy();
    partner?.destroy();
    await cloud?.stop();
  });

  it('does not show another account’s tables, nor let it read, write or delete them by name', async () => {
    // Act
    const listed = await partner.send(new ListTablesCommand({}));
    const scan = await errorOf(partner.send(new ScanCommand({ TableName: table })));
    const put = await errorOf(
      partner.send(new PutItemCommand({ TableName: table, Item: { id: { S: '1' }, name: { S: 'forged' } } })),
    );
    const deleted = await errorOf(partner.send(new DeleteTableCommand({ TableName: table })));

    // Assess
    expect(listed.TableNames).toEqual([]);
    for (const error of [scan, put, deleted]) expect(error?.name).toBe('ResourceNotFoundException');
    const item = await developer.send(new GetItemCommand({ TableName: table, Key: { id: { S: '1' } } }));
    expect(item.Item?.name?.S).toBe('Ada');
  });

  it('gives each account its own table of the same name, with its own ARN', async () => {
    // Act
    await create(partner);
    await partner.send(
      new PutItemCommand({ TableName: table, Item: { id: { S: '1' }, name: { S: 'Bob' } } }),
    );
    const mine = await developer.send(new DescribeTableCommand({ TableName: table }));
    const theirs = await partner.send(new DescribeTableCommand({ TableName: table }));

    // Assess
    expect(mine.Table?.TableArn).toBe(`arn:aws:dynamodb:us-east-1:000000000000:table/${table}`);
    expect(theirs.Table?.TableArn).toBe(`arn:aws:dynamodb:us-east-1:111111111111:table/${table}`);
    const item = await developer.send(new GetItemCommand({ TableName: table, Key: { id: { S: '1' } } }));
    expect(item.Item?.name?.S).toBe('Ada');
  });

  it('refuses another account’s table named by ARN: no resource policy allows it', async () => {
    // Arrange
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;

    // Act
    const get = await errorOf(partner.send(new GetItemCommand({ TableName: arn, Key: { id: { S: '1' } } })));

    // Assess
    expect(get).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::111111111111:user/partner-admin is not authorized to perform: dynamodb:GetItem on resource: ${arn} because no resource-based policy allows the dynamodb:GetItem action`,
    });
  });
});
