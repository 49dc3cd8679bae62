import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand as DocumentQuery,
} from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { LocalCloud } from '../src/local-cloud';
import { pythonWithBotocore } from '../src/testing/python';
import { identitiesWith } from '../src/testing/identities-file';

// Every DynamoDB call is authorized with the caller's policies, as on AWS: the action and resource of
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html, the condition keys of
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html, and the refusal text
// of https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html.
const ACCOUNT = '000000000000';
const ORDERS = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const AUDIT = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/audit`;

const { file, keyOf } = identitiesWith([
  {
    name: 'orders-writer',
    statements: [
      {
        Sid: 'ReadWriteOrders',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: ORDERS,
      },
      {
        Sid: 'QueryByStatus',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: `${ORDERS}/index/byStatus`,
      },
    ],
  },
  {
    name: 'denied-writer',
    statements: [
      { Sid: 'Everything', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
      {
        Sid: 'NoOrderWrites',
        Effect: 'Deny',
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: ORDERS,
      },
    ],
  },
  {
    // "Grant permissions that limit access to items with a specific partition key value" (Example 2 of the guide).
    name: 'alice',
    statements: [
      {
        Sid: 'OwnPartitionOnly',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
        Resource: ORDERS,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } },
      },
    ],
  },
  {
    // "Allows access to specific attributes" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_dynamodb_columns.html).
    name: 'column-reader',
    statements: [
      {
        Sid: 'SomeColumns',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: ORDERS,
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['owner', 'id', 'state'] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      },
    ],
  },
  {
    name: 'batch-writer',
    statements: [
      { Sid: 'BatchOrdersOnly', Effect: 'Allow', Action: 'dynamodb:BatchWriteItem', Resource: ORDERS },
    ],
  },
  {
    // aws:CurrentTime is the local cloud's clock (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime).
    name: 'until-2030',
    statements: [
      {
        Sid: 'ReadUntil2030',
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: ORDERS,
        Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
      },
    ],
  },
  {
    name: 'orders-tagger',
    statements: [
      {
        Sid: 'TagOrdersAndItsIndexes',
        Effect: 'Allow',
        Action: ['dynamodb:TagResource', 'dynamodb:ListTagsOfResource'],
        Resource: [ORDERS, `${ORDERS}/*`],
      },
    ],
  },
  {
    name: 'no-dynamodb',
    statements: [{ Sid: 'OnlyApis', Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
  },
  {
    name: 'quiet-updater',
    statements: [
      {
        Sid: 'UpdateWithoutOldValues',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: ORDERS,
        Condition: { StringEquals: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] } },
      },
    ],
  },
]);

describe('DynamoDB: every call authorized with the caller’s policies', () => {
  let cloud: LocalCloud;
  const logs: string[] = [];
  const clients: DynamoDBClient[] = [];
  const client = (name: string) => {
    const created = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cloud.url,
      credentials: keyOf(name),
      maxAttempts: 1,
    });
    clients.push(created);
    return created;
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
        name: error.name,
        status: error.$metadata?.httpStatusCode,
        message: error.message,
      }),
    );
  const denied = (user: string, action: string, resource: string, why: string) => ({
    name: 'AccessDeniedException',
    status: 400,
    message: `User: arn:aws:iam::${ACCOUNT}:user/${user} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
  });
  const order = (owner: string, id: string, extra: Record<string, { S: string }> = {}) => ({
    owner: { S: owner },
    id: { S: id },
    state: { S: 'open' },
    total: { S: '10.00' },
    ...extra,
  });
  let admin: DynamoDBClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: file, log: (line) => logs.push(line) });
    // The seeded developer (AdministratorAccess) creates the tables, with the real SDK as well.
    admin = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cloud.url,
      credentials: {
        accessKeyId: 'AKIALOCALDEVELOPER00',
        secretAccessKey: 'local/developer/secret/key/do-not-use-on-aws',
      },
    });
    await admin.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'owner', AttributeType: 'S' },
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'state', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'owner', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await admin.send(
      new CreateTableCommand({
        TableName: 'audit',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const item of [order('alice', 'a1'), order('bob', 'b1')])
      await admin.send(new PutItemCommand({ TableName: 'orders', Item: item }));
  }, 60_000);

  afterAll(async () => {
    for (const each of [...clients, admin]) each?.destroy();
    await cloud?.stop();
  });

  it('allows exactly the granted actions and refuses the rest with AWS’s message and a reason in the local log', async () => {
    // Arrange
    const writer = DynamoDBDocumentClient.from(client('orders-writer'));

    // Act
    await writer.send(
      new PutCommand({ TableName: 'orders', Item: { owner: 'carol', id: 'c1', state: 'open' } }),
    );
    const read = await writer.send(
      new GetCommand({ TableName: 'orders', Key: { owner: 'carol', id: 'c1' } }),
    );
    const deleted = await refusal(
      writer.send(
        new DeleteItemCommand({ TableName: 'orders', Key: { owner: { S: 'carol' }, id: { S: 'c1' } } }),
      ),
    );
    const scanned = await refusal(writer.send(new ScanCommand({ TableName: 'orders' })));

    // Assess
    expect(read.Item).toEqual({ owner: 'carol', id: 'c1', state: 'open' });
    expect(deleted).toEqual(
      denied(
        'orders-writer',
        'dynamodb:DeleteItem',
        ORDERS,
        'because no identity-based policy allows the dynamodb:DeleteItem action',
      ),
    );
    expect(scanned).toEqual(
      denied(
        'orders-writer',
        'dynamodb:Scan',
        ORDERS,
        'because no identity-based policy allows the dynamodb:Scan action',
      ),
    );
    const still = await admin.send(
      new GetItemCommand({ TableName: 'orders', Key: { owner: { S: 'carol' }, id: { S: 'c1' } } }),
    );
    expect(still.Item).toBeDefined();
    expect(logs).toContainEqual(
      `400 DynamoDB DeleteItem refused (AccessDeniedException): arn:aws:iam::${ACCOUNT}:user/orders-writer -> dynamodb:DeleteItem on ${ORDERS}: no identity-policy statement allows it (implicit deny)`,
    );
  });

  // The AWS CLI's own client code (botocore) reads the refusal as AWS's: its error code, message and status.
  it('refuses as botocore (the AWS CLI and boto3) expects: AccessDeniedException, the message, HTTP 400', async () => {
    // Prepare
    const script = [
      'import json, sys',
      'import botocore.session',
      'from botocore.exceptions import ClientError',
      'url, key, secret = sys.argv[1:4]',
      "client = botocore.session.get_session().create_client('dynamodb', region_name='us-east-1', endpoint_url=url, aws_access_key_id=key, aws_secret_access_key=secret)",
      "client.get_item(TableName='orders', Key={'owner': {'S': 'alice'}, 'id': {'S': 'a1'}})",
      'try:',
      "    client.delete_item(TableName='orders', Key={'owner': {'S': 'alice'}, 'id': {'S': 'a1'}})",
      'except ClientError as error:',
      "    print(json.dumps({'code': error.response['Error']['Code'], 'message': error.response['Error']['Message'], 'status': error.response['ResponseMetadata']['HTTPStatusCode']}))",
    ].join('\n');
    const { accessKeyId, secretAccessKey } = keyOf('orders-writer');

    // Act
    const { stdout } = await promisify(execFile)(
      pythonWithBotocore(),
      ['-c', script, cloud.url, accessKeyId, secretAccessKey],
      {
        encoding: 'utf8',
      },
    );

    // Assess
    expect(JSON.parse(stdout)).toEqual({
      code: 'AccessDeniedException',
      status: 400,
      message: denied(
        'orders-writer',
        'dynamodb:DeleteItem',
        ORDERS,
        'because no identity-based policy allows the dynamodb:DeleteItem action',
      ).message,
    });
  });

  it('checks a Query of an index against the index ARN, not the table’s', async () => {
    // Arrange
    const writer = client('orders-writer');
    const byStatus = {
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':s': { S: 'open' } },
    };

    // Act
    const onIndex = await writer.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byStatus', ...byStatus }),
    );
    const onTable = await refusal(
      writer.send(
        new QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: '#o = :o',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':o': { S: 'alice' } },
        }),
      ),
    );

    // Assess
    expect(onIndex.Count).toBeGreaterThanOrEqual(2);
    expect(onTable).toEqual(
      denied(
        'orders-writer',
        'dynamodb:Query',
        ORDERS,
        'because no identity-based policy allows the dynamodb:Query action',
      ),
    );
  });

  it('lets an explicit deny win over an allow of everything', async () => {
    // Act
    const put = await refusal(
      client('denied-writer').send(new PutItemCommand({ TableName: 'orders', Item: order('x', 'x1') })),
    );
    const listed = await client('denied-writer').send(new ListTablesCommand({}));

    // Assess
    expect(put).toEqual(
      denied(
        'denied-writer',
        'dynamodb:PutItem',
        ORDERS,
        'with an explicit deny in an identity-based policy',
      ),
    );
    expect(listed.TableNames).toEqual(['audit', 'orders']);
    expect(
      logs.some((line) =>
        line.includes(
          'explicit deny by statement NoOrderWrites of user/denied-writer policy denied-writer-policy',
        ),
      ),
    ).toBe(true);
  });

  // dynamodb:LeadingKeys with ${aws:username}: "users can access only the items whose partition key value matches
  // their user ID" (Example 2 of the guide).
  it('keeps a user to the items of their own partition key (dynamodb:LeadingKeys)', async () => {
    // Arrange
    const alice = DynamoDBDocumentClient.from(client('alice'));
    const partition = (owner: string) => ({
      TableName: 'orders',
      KeyConditionExpression: '#o = :o',
      ExpressionAttributeNames: { '#o': 'owner' },
      ExpressionAttributeValues: { ':o': owner },
    });

    // Act
    const own = await alice.send(new GetCommand({ TableName: 'orders', Key: { owner: 'alice', id: 'a1' } }));
    const other = await refusal(
      alice.send(new GetCommand({ TableName: 'orders', Key: { owner: 'bob', id: 'b1' } })),
    );
    const ownQuery = await alice.send(new DocumentQuery(partition('alice')));
    const otherQuery = await refusal(alice.send(new DocumentQuery(partition('bob'))));
    const forged = await refusal(
      alice.send(new PutCommand({ TableName: 'orders', Item: { owner: 'bob', id: 'b2' } })),
    );
    const mixedBatch = await refusal(
      client('alice').send(
        new BatchGetItemCommand({
          RequestItems: {
            orders: {
              Keys: [
                { owner: { S: 'alice' }, id: { S: 'a1' } },
                { owner: { S: 'bob' }, id: { S: 'b1' } },
              ],
            },
          },
        }),
      ),
    );

    // Assess
    expect(own.Item?.owner).toBe('alice');
    expect(ownQuery.Items?.map((item) => item.id)).toEqual(['a1']);
    const why = (action: string) =>
      denied('alice', action, ORDERS, `because no identity-based policy allows the ${action} action`);
    expect(other).toEqual(why('dynamodb:GetItem'));
    expect(otherQuery).toEqual(why('dynamodb:Query'));
    expect(forged).toEqual(why('dynamodb:PutItem'));
    expect(mixedBatch).toEqual(why('dynamodb:BatchGetItem'));
    const bobs = await admin.send(
      new GetItemCommand({ TableName: 'orders', Key: { owner: { S: 'bob' }, id: { S: 'b2' } } }),
    );
    expect(bobs.Item).toBeUndefined();
  });

  // dynamodb:Attributes with dynamodb:Select: "implement both attribute conditions (dynamodb:Attributes) and a
  // condition requiring specific attributes must be requested (dynamodb:Select)".
  it('keeps a reader to the listed attributes, and to reads that name them (dynamodb:Attributes, dynamodb:Select)', async () => {
    // Arrange
    const reader = client('column-reader');
    const key = { owner: { S: 'alice' }, id: { S: 'a1' } };

    // Act
    const listed = await reader.send(
      new GetItemCommand({
        TableName: 'orders',
        Key: key,
        ProjectionExpression: '#o, id, #s',
        ExpressionAttributeNames: { '#o': 'owner', '#s': 'state' },
      }),
    );
    const everything = await refusal(reader.send(new GetItemCommand({ TableName: 'orders', Key: key })));
    const withTotal = await refusal(
      reader.send(
        new GetItemCommand({
          TableName: 'orders',
          Key: key,
          ProjectionExpression: 'id, #t',
          ExpressionAttributeNames: { '#t': 'total' },
        }),
      ),
    );

    // Assess
    expect(listed.Item).toEqual({ owner: { S: 'alice' }, id: { S: 'a1' }, state: { S: 'open' } });
    for (const refused of [everything, withTotal])
      expect(refused).toEqual(
        denied(
          'column-reader',
          'dynamodb:GetItem',
          ORDERS,
          'because no identity-based policy allows the dynamodb:GetItem action',
        ),
      );
  });

  // GetItem has no Select parameter, and a Query or Scan's Select must fit its projection
  // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-Select): a Select
  // in the request cannot talk a reader past dynamodb:Select.
  it('reads dynamodb:Select from what the request will return, and refuses a Select that does not fit', async () => {
    // Arrange
    const reader = client('column-reader');
    const key = { owner: { S: 'alice' }, id: { S: 'a1' } };

    // Act
    const getAll = await refusal(
      reader.send(
        new GetItemCommand({ TableName: 'orders', Key: key, Select: 'SPECIFIC_ATTRIBUTES' } as never),
      ),
    );
    const queryAll = await refusal(
      reader.send(
        new QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: '#o = :o',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':o': { S: 'alice' } },
          Select: 'SPECIFIC_ATTRIBUTES',
        }),
      ),
    );

    // Assess
    expect(getAll).toEqual(
      denied(
        'column-reader',
        'dynamodb:GetItem',
        ORDERS,
        'because no identity-based policy allows the dynamodb:GetItem action',
      ),
    );
    expect(queryAll).toEqual({
      name: 'ValidationException',
      status: 400,
      message:
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    });
  });

  it('tags exactly the table a ResourceArn names, and refuses an ARN dynalite would read as another table', async () => {
    // Arrange
    const tagger = client('orders-tagger');
    const tags = [{ Key: 'team', Value: 'orders' }];

    // Act
    const crafted = await refusal(
      tagger.send(new TagResourceCommand({ ResourceArn: `${ORDERS}/index/x:1:table/audit`, Tags: tags })),
    );
    const misnamed = await refusal(
      tagger.send(new TagResourceCommand({ ResourceArn: AUDIT, Tags: tags, TableName: 'orders' } as never)),
    );
    await tagger.send(new TagResourceCommand({ ResourceArn: ORDERS, Tags: tags }));

    // Assess
    expect(crafted).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(misnamed).toEqual(
      denied(
        'orders-tagger',
        'dynamodb:TagResource',
        AUDIT,
        'because no identity-based policy allows the dynamodb:TagResource action',
      ),
    );
    const auditTags = await admin.send(new ListTagsOfResourceCommand({ ResourceArn: AUDIT }));
    expect(auditTags.Tags ?? []).toEqual([]);
    const orderTags = await tagger.send(new ListTagsOfResourceCommand({ ResourceArn: ORDERS }));
    expect(orderTags.Tags).toEqual(tags);
  });

  it('checks a body that is not an object as no parameters, as dynalite reads it: ListTables on *', async () => {
    // Arrange
    const signed = createSignedFetch({
      credentials: keyOf('no-dynamodb'),
      region: 'us-east-1',
      service: 'dynamodb',
    });

    // Act
    const answer = await signed(cloud.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '[]',
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/no-dynamodb is not authorized to perform: dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action`,
    });
  });

  it('refuses a whole batch when one of its tables is not allowed, and writes nothing', async () => {
    // Act
    const batch = await refusal(
      client('batch-writer').send(
        new BatchWriteItemCommand({
          RequestItems: {
            orders: [{ PutRequest: { Item: order('dave', 'd1') } }],
            audit: [{ PutRequest: { Item: { id: { S: 'entry-1' } } } }],
          },
        }),
      ),
    );

    // Assess
    expect(batch).toEqual(
      denied(
        'batch-writer',
        'dynamodb:BatchWriteItem',
        AUDIT,
        'because no identity-based policy allows the dynamodb:BatchWriteItem action',
      ),
    );
    const written = await admin.send(
      new GetItemCommand({ TableName: 'orders', Key: { owner: { S: 'dave' }, id: { S: 'd1' } } }),
    );
    expect(written.Item).toBeUndefined();
  });

  // "Permissions for Put, Update, Delete, and Get actions are governed by the permissions used for the underlying
  // PutItem, UpdateItem, DeleteItem, and GetItem operations" (transaction-apis-iam.html).
  it('checks each item of a transaction with the item’s own action', async () => {
    // Act
    const transaction = await refusal(
      client('orders-writer').send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'orders', Item: order('erin', 'e1') } },
            { Delete: { TableName: 'orders', Key: { owner: { S: 'alice' }, id: { S: 'a1' } } } },
          ],
        }),
      ),
    );

    // Assess
    expect(transaction).toEqual(
      denied(
        'orders-writer',
        'dynamodb:DeleteItem',
        ORDERS,
        'because no identity-based policy allows the dynamodb:DeleteItem action',
      ),
    );
  });

  // "the ReturnValues parameter always has a value (NONE unless otherwise specified)".
  it('evaluates dynamodb:ReturnValues, NONE when the request gives none', async () => {
    // Arrange
    const updater = client('quiet-updater');
    const update = (extra: Record<string, string>) =>
      new UpdateItemCommand({
        TableName: 'orders',
        Key: { owner: { S: 'alice' }, id: { S: 'a1' } },
        UpdateExpression: 'SET note = :n',
        ExpressionAttributeValues: { ':n': { S: 'checked' } },
        ...extra,
      });

    // Act
    await updater.send(update({}));
    const oldValues = await refusal(updater.send(update({ ReturnValues: 'ALL_OLD' })));

    // Assess
    expect(oldValues).toEqual(
      denied(
        'quiet-updater',
        'dynamodb:UpdateItem',
        ORDERS,
        'because no identity-based policy allows the dynamodb:UpdateItem action',
      ),
    );
  });

  it('evaluates aws:CurrentTime on the local cloud’s clock', async () => {
    // Arrange
    const reader = client('until-2030');
    const get = () =>
      reader.send(
        new GetItemCommand({ TableName: 'orders', Key: { owner: { S: 'alice' }, id: { S: 'a1' } } }),
      );
    const before = await get();

    // Act
    cloud.clock.advance(Date.parse('2030-06-01T00:00:00Z') - cloud.clock.nowMs());
    let after: Awaited<ReturnType<typeof refusal>>;
    try {
      after = await refusal(
        // Signed at the cloud's time, as a client whose clock agrees with AWS's would.
        new DynamoDBClient({
          region: 'us-east-1',
          endpoint: cloud.url,
          credentials: keyOf('until-2030'),
          maxAttempts: 1,
          systemClockOffset: cloud.clock.offset,
        }).send(new GetItemCommand({ TableName: 'orders', Key: { owner: { S: 'alice' }, id: { S: 'a1' } } })),
      );
    } finally {
      cloud.clock.reset();
    }

    // Assess
    expect(before.Item).toBeDefined();
    expect(after).toEqual(
      denied(
        'until-2030',
        'dynamodb:GetItem',
        ORDERS,
        'because no identity-based policy allows the dynamodb:GetItem action',
      ),
    );
  });

  it('refuses, never forwards, a call whose attributes a condition needs but whose expression does not parse', async () => {
    // Act
    const invalid = await refusal(
      client('column-reader').send(
        new GetItemCommand({
          TableName: 'orders',
          Key: { owner: { S: 'alice' }, id: { S: 'a1' } },
          ProjectionExpression: 'total,,',
        }),
      ),
    );

    // Assess: refused here (the local log says so), not by dynalite after the check let it through.
    expect(invalid).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(
      logs.some((line) =>
        line.startsWith('400 DynamoDB GetItem refused (ValidationException): Invalid ProjectionExpression'),
      ),
    ).toBe(true);
  });

  it('answers an allowed request whose expression does not parse with DynamoDB’s ValidationException', async () => {
    // Act
    const invalid = await refusal(
      client('orders-writer').send(
        new GetItemCommand({
          TableName: 'orders',
          Key: { owner: { S: 'alice' }, id: { S: 'a1' } },
          ProjectionExpression: 'id,,',
        }),
      ),
    );

    // Assess
    expect(invalid).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(invalid?.message).toContain('Invalid ProjectionExpression');
  });
});
