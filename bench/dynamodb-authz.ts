import { accessesOf, authorize, type NamedPolicy, type RequestPrincipal } from '@sigv4-auth/local-cloud';
import { microsecondsPerCall, type MeasureOptions } from './measure';

const ACCOUNT = '000000000000';
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/order-service-local-orders`;
const principal: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-local-createOrder-us-east-1-lambdaRole/order-service-local-createOrder`,
  accountId: ACCOUNT,
  type: 'AssumedRole',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/order-service-local-createOrder-us-east-1-lambdaRole`,
  userId: 'AROAEXAMPLE:order-service-local-createOrder',
};
/** createOrder's role, as serverless-iam-roles-per-function writes it. */
const createOrderRole: NamedPolicy[] = [
  {
    name: 'createOrder role',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
          Resource: [
            `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/order-service-local-createOrder:*:*`,
          ],
        },
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE },
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:abc/local/GET/customers/*`,
        },
      ],
    },
  },
];
/** The same calls under a fine-grained policy that reads dynamodb:Attributes (so the expressions are parsed). */
const columnsRole: NamedPolicy[] = [
  {
    name: 'columns',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: TABLE,
          Condition: {
            'ForAllValues:StringEquals': {
              'dynamodb:Attributes': [
                'id',
                'customerId',
                'customer',
                'items',
                'total',
                'createdAt',
                'createdBy',
              ],
            },
          },
        },
      ],
    },
  },
];
const body = JSON.stringify({
  TableName: 'order-service-local-orders',
  Item: {
    id: { S: 'o-1' },
    customerId: { S: 'c-1' },
    customer: { M: {} },
    items: { L: [] },
    total: { N: '2500' },
    createdAt: { S: '2026-12-02T00:00:00Z' },
    createdBy: { S: principal.arn },
  },
  ConditionExpression: 'attribute_not_exists(id)',
});
const scope = {
  region: 'us-east-1',
  accountId: ACCOUNT,
  keysOf: () => ({ partitionKey: 'id', indexPartitionKeys: {} }),
};

function check(policies: NamedPolicy[]): void {
  for (const access of accessesOf('PutItem', JSON.parse(body) as Record<string, unknown>, scope)) {
    const decision = authorize({
      principal,
      action: access.action,
      resource: access.resource,
      resourceAccountId: access.accountId,
      identityPolicies: policies,
      context: access.context,
      now: new Date(),
    });
    if (!decision.allowed) throw new Error(`dynamodb-authz bench: ${decision.explanation}`);
  }
}

/**
 * What authorizing one DynamoDB call costs the local cloud (the request body parsed, its permissions worked out,
 * the IAM engine run): createOrder's conditional PutItem under its own role, and under a policy whose condition
 * reads dynamodb:Attributes (the request's expressions parsed with dynalite's grammar).
 */
export async function benchDynamoDBAuthorization(options: MeasureOptions): Promise<Record<string, number>> {
  return {
    put_item_role_us: await microsecondsPerCall(() => check(createOrderRole), options),
    put_item_attributes_condition_us: await microsecondsPerCall(() => check(columnsRole), options),
  };
}
