import { authorize, type NamedPolicy } from '../iam';
import { accessesOf, type DynamoDBAccess, type TableKeys } from './request-authorization';

const ACCOUNT = '111122223333';
const ORDERS = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const schemas: Record<string, TableKeys> = {
  orders: { partitionKey: 'id', indexPartitionKeys: { byOwner: 'ownerSub' } },
  customers: { partitionKey: 'customerId', indexPartitionKeys: {} },
};
const scope = { region: 'us-east-1', accountId: ACCOUNT, keysOf: (table: string) => schemas[table] };

/** An access with its lazy condition keys worked out (as a policy reading them would), absent ones dropped. */
function resolved(access: DynamoDBAccess | undefined) {
  if (!access) return undefined;
  const context = Object.fromEntries(
    Object.entries(access.context)
      .map(([key, value]) => [key, typeof value === 'function' ? value() : value])
      .filter(([, value]) => value !== undefined),
  );
  return { action: access.action, resource: access.resource, accountId: access.accountId, context };
}

// Actions and resources per operation: the service authorization reference
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html) and the condition keys
// of https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html.
describe('accessesOf: the permissions a DynamoDB request needs', () => {
  it('checks an item operation on the table ARN, with its leading key, attributes and defaults', () => {
    // Act
    const [putRaw] = accessesOf(
      'PutItem',
      {
        TableName: 'orders',
        Item: { id: { S: 'o-1' }, total: { N: '5' } },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
      },
      scope,
    );
    const put = resolved(putRaw);

    // Assess
    expect(put).toEqual({
      action: 'dynamodb:PutItem',
      resource: ORDERS,
      accountId: ACCOUNT,
      context: {
        'dynamodb:LeadingKeys': ['o-1'],
        'dynamodb:Attributes': ['id', 'total'],
        // "the ReturnValues parameter always has a value (NONE unless otherwise specified)"
        'dynamodb:ReturnValues': 'NONE',
        'dynamodb:ReturnConsumedCapacity': 'NONE',
      },
    });
  });

  it('lists the top-level attributes of projections and update expressions, nested paths included', () => {
    // Act
    const [getRaw] = accessesOf(
      'GetItem',
      {
        TableName: 'orders',
        Key: { id: { S: 'o-1' } },
        ProjectionExpression: '#c.city, #l[0], price',
        ExpressionAttributeNames: { '#c': 'customer', '#l': 'lines' },
      },
      scope,
    );
    const get = resolved(getRaw);
    const [updateRaw] = accessesOf(
      'UpdateItem',
      {
        TableName: 'orders',
        Key: { id: { S: 'o-1' } },
        UpdateExpression: 'SET #s = :s, history = list_append(history, :h) REMOVE note',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'cancelled' }, ':h': { L: [] } },
        ReturnValues: 'ALL_NEW',
      },
      scope,
    );
    const update = resolved(updateRaw);

    // Assess
    // "With ProjectionExpression "Name, Address.City" ... the dynamodb:Attributes list would include "Name" and "Address""
    expect(get?.context).toMatchObject({
      'dynamodb:Attributes': ['id', 'customer', 'lines', 'price'],
      'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
    });
    expect(update?.context).toMatchObject({
      'dynamodb:Attributes': ['id', 'status', 'history', 'note'],
      'dynamodb:ReturnValues': 'ALL_NEW',
    });
  });

  it('checks a Query of an index on the index ARN, with the index partition value as leading key', () => {
    // Act
    const [queryRaw] = accessesOf(
      'Query',
      {
        TableName: 'orders',
        IndexName: 'byOwner',
        KeyConditionExpression: '#p = :p AND createdAt > :t',
        ExpressionAttributeNames: { '#p': 'ownerSub' },
        ExpressionAttributeValues: { ':p': { S: 'user-1' }, ':t': { S: '2026' } },
      },
      scope,
    );
    const query = resolved(queryRaw);
    const [scanRaw] = accessesOf('Scan', { TableName: 'orders', Select: 'COUNT' }, scope);
    const scan = resolved(scanRaw);

    // Assess
    expect(query).toMatchObject({
      action: 'dynamodb:Query',
      resource: `${ORDERS}/index/byOwner`,
      context: {
        'dynamodb:LeadingKeys': ['user-1'],
        'dynamodb:Attributes': ['ownerSub', 'createdAt'],
        // An index read without Select or a projection reads ALL_PROJECTED_ATTRIBUTES.
        'dynamodb:Select': 'ALL_PROJECTED_ATTRIBUTES',
      },
    });
    // "Scan returns all items regardless of the leading keys": no LeadingKeys.
    expect(scan?.context).toEqual({
      'dynamodb:Attributes': [],
      'dynamodb:Select': 'COUNT',
      'dynamodb:ReturnConsumedCapacity': 'NONE',
    });
  });

  it('checks a batch on every table it names, with every key', () => {
    // Act
    const accesses = accessesOf(
      'BatchWriteItem',
      {
        RequestItems: {
          orders: [
            { PutRequest: { Item: { id: { S: 'a' } } } },
            { DeleteRequest: { Key: { id: { S: 'b' } } } },
          ],
          customers: [{ PutRequest: { Item: { customerId: { S: 'c' }, name: { S: 'Ada' } } } }],
        },
      },
      scope,
    );

    // Assess
    expect(
      accesses
        .map(resolved)
        .map((access) => [access?.action, access?.resource, access?.context['dynamodb:LeadingKeys']]),
    ).toEqual([
      ['dynamodb:BatchWriteItem', ORDERS, ['a', 'b']],
      ['dynamodb:BatchWriteItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/customers`, ['c']],
    ]);
  });

  // "Permissions for Put, Update, Delete, and Get actions are governed by the permissions used for the underlying
  // PutItem, UpdateItem, DeleteItem, and GetItem operations. For the ConditionCheck action, you can use the
  // dynamodb:ConditionCheckItem permission." https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
  it('checks each item of a transaction with its own action, not a TransactWriteItems action', () => {
    // Act
    const accesses = accessesOf(
      'TransactWriteItems',
      {
        TransactItems: [
          { Put: { TableName: 'orders', Item: { id: { S: 'a' } } } },
          {
            ConditionCheck: {
              TableName: 'customers',
              Key: { customerId: { S: 'c' } },
              ConditionExpression: 'attribute_exists(customerId)',
            },
          },
        ],
      },
      scope,
    );

    // Assess
    expect(
      accesses
        .map(resolved)
        .map((access) => [access?.action, access?.context['dynamodb:EnclosingOperation']]),
    ).toEqual([
      ['dynamodb:PutItem', 'TransactWriteItems'],
      ['dynamodb:ConditionCheckItem', 'TransactWriteItems'],
    ]);
  });

  it('names another account’s table by its ARN, and account-wide operations by *', () => {
    // Prepare
    const foreign = 'arn:aws:dynamodb:us-east-1:444455556666:table/orders';

    // Act
    const [getRaw] = accessesOf('GetItem', { TableName: foreign, Key: { id: { S: 'x' } } }, scope);
    const get = resolved(getRaw);
    const [listRaw] = accessesOf('ListTables', {}, scope);
    const list = resolved(listRaw);
    const [malformedRaw] = accessesOf('GetItem', {}, scope);
    const malformed = resolved(malformedRaw);

    // Assess
    expect(get).toMatchObject({ resource: foreign, accountId: '444455556666' });
    expect(get?.context['dynamodb:LeadingKeys']).toBeUndefined();
    expect(list).toEqual({ action: 'dynamodb:ListTables', resource: '*', accountId: ACCOUNT, context: {} });
    expect(malformed).toMatchObject({ action: 'dynamodb:GetItem', resource: '*' });
  });

  it('leaves LeadingKeys unknown for a table it cannot describe, and then refuses as DynamoDB does', () => {
    // Act
    const [get] = accessesOf('GetItem', { TableName: 'ghost', Key: { id: { S: 'x' } } }, scope);
    const before = get?.refusal();
    const leading = (get?.context['dynamodb:LeadingKeys'] as () => unknown)();

    // Assess: refused only once a condition asked for the key (a policy without one gets dynalite's own answer).
    expect(before).toBeUndefined();
    expect(leading).toBeUndefined();
    expect(get?.refusal()).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Requested resource not found',
    });
  });

  it('refuses after authorization a call whose expression a condition read but could not parse', () => {
    // Prepare: a Deny of one attribute, which an unparsable projection must not slip past.
    const denyTotal: NamedPolicy = {
      name: 'NoTotals',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'dynamodb:GetItem',
            Resource: '*',
            Condition: { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['total'] } },
          },
        ],
      },
    };
    const principal = { arn: `arn:aws:iam::${ACCOUNT}:user/u`, accountId: ACCOUNT, type: 'User' as const };

    // Act
    const [get] = accessesOf(
      'GetItem',
      { TableName: 'orders', Key: { id: { S: 'o-1' } }, ProjectionExpression: 'total,,' },
      scope,
    );
    const decision = authorize({
      principal,
      action: get?.action ?? '',
      resource: get?.resource ?? '',
      resourceAccountId: ACCOUNT,
      identityPolicies: [denyTotal],
      context: get?.context,
      now: new Date(),
    });

    // Assess
    expect(decision.allowed).toBe(true);
    expect(get?.refusal()).toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining('Invalid ProjectionExpression'),
    });
  });

  it('checks tagging on exactly the table ARN given, and refuses any other shape', () => {
    // Act
    const [exact] = accessesOf('TagResource', { ResourceArn: ORDERS, TableName: 'customers' }, scope);
    const [crafted] = accessesOf(
      'TagResource',
      { ResourceArn: `${ORDERS}/index/x:1:table/customers` },
      scope,
    );

    // Assess
    expect(exact).toMatchObject({ action: 'dynamodb:TagResource', resource: ORDERS });
    expect(exact?.refusal()).toBeUndefined();
    expect(crafted?.refusal()).toMatchObject({ code: 'ValidationException' });
  });
});
