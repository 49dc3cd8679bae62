import { validateExpressions } from 'dynalite/validations';
import type { LazyContextValue } from '../iam';

/** A table's partition key, and each secondary index's (what `dynamodb:LeadingKeys` reads). */
export interface TableKeys {
  partitionKey: string;
  indexPartitionKeys: Record<string, string>;
}

/** One permission a DynamoDB request needs: the action on the resource, with the request's condition keys. */
export interface DynamoDBAccess {
  action: string;
  /** The table's ARN, an index's (`table/<t>/index/<i>`), or `*` for ListTables and the like. */
  resource: string;
  /** The account the resource belongs to (another account's table is named by its ARN). */
  accountId: string;
  /**
   * The condition keys. dynamodb:Attributes (and a Query's dynamodb:LeadingKeys) are worked out from the request's
   * expressions only if a policy condition reads them: parsing them is most of the cost of a check.
   */
  context: Record<string, LazyContextValue>;
  /**
   * After authorization: dynalite's message if an expression a condition needed did not parse. Its attributes were
   * unknown to the check, so the request is refused with DynamoDB's ValidationException (as dynalite would refuse it).
   */
  expressionError: () => string | undefined;
}

export interface RequestScope {
  region: string;
  /** The caller's account: a table named without an ARN is the caller's. */
  accountId: string;
  /** The key schema of one of the caller's tables (undefined: no such table, then no LeadingKeys). */
  keysOf: (table: string) => TableKeys | undefined;
}

type Input = Record<string, unknown>;
type AttributeValue = Record<string, unknown>;

const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:([^:]*):(\d{12}):table\/([^/]+)(?:\/|$)/;

interface TableRef {
  name: string;
  arn: string;
  accountId: string;
  /** Named by ARN in another account: its key schema is not the caller's to read. */
  foreign: boolean;
}

/**
 * A table named by name, or by ARN ("table name overloading": any operation takes the table's ARN; tagging takes a
 * table's or a stream's ARN as ResourceArn). Another account's resource is named by its ARN only.
 */
function tableRef(nameOrArn: unknown, scope: RequestScope): TableRef | undefined {
  if (typeof nameOrArn !== 'string') return undefined;
  if (nameOrArn.startsWith('arn:')) {
    const accountId = nameOrArn.split(':')[4] ?? '';
    const name = TABLE_ARN.exec(nameOrArn)?.[3] ?? nameOrArn;
    return { name, arn: nameOrArn, accountId, foreign: accountId !== scope.accountId };
  }
  return {
    name: nameOrArn,
    arn: `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${nameOrArn}`,
    accountId: scope.accountId,
    foreign: false,
  };
}

/** The string a key's value compares as: S and N as written, B as its base64 (as the JSON wire carries it). */
function scalar(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const typed = value as AttributeValue;
  for (const type of ['S', 'N', 'B']) if (typeof typed[type] === 'string') return typed[type] as string;
  return undefined;
}

const objectOr = (value: unknown): Input =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Input) : {};

/** The top-level attribute of every document path in a parsed expression (dynalite's parse tree). */
function collectPaths(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    if (typeof node[0] === 'string') into.add(node[0]);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const { args } = node as { args?: unknown };
  if (Array.isArray(args)) for (const arg of args) collectPaths(arg, into);
}

/**
 * `dynamodb:Attributes`: "a list of the top-level attributes accessed by a request. A top-level attribute is
 * accessed by a request if it, or any nested attribute that it contains, is specified in the request parameters"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html): the names in Key,
 * Item, ExclusiveStartKey, the legacy AttributesToGet / AttributeUpdates / Expected / KeyConditions / filters, and
 * every path of the projection, condition, key condition, filter and update expressions. "It is evaluated only on
 * the attributes specified in the request ..., not on attributes in the response": a read without a projection
 * names only its key (and, by AWS's rule, returns every attribute; `dynamodb:Select` is what closes that).
 * Expressions are parsed with dynalite's own grammar, the one it then validates the request with. An expression it
 * cannot parse adds nothing here, and dynalite refuses the request before it reads or writes anything.
 */
function attributesOf(input: Input, parsed: Input | undefined): string[] {
  const names = new Set<string>();
  const fields = [
    'Key',
    'Item',
    'ExclusiveStartKey',
    'AttributeUpdates',
    'Expected',
    'KeyConditions',
    'QueryFilter',
    'ScanFilter',
  ];
  for (const field of fields) for (const name of Object.keys(objectOr(input[field]))) names.add(name);
  if (Array.isArray(input.AttributesToGet))
    for (const name of input.AttributesToGet) if (typeof name === 'string') names.add(name);
  if (parsed) {
    const projection = parsed._projection as { paths?: unknown[] } | undefined;
    for (const path of projection?.paths ?? []) collectPaths(path, names);
    for (const field of ['_condition', '_keyCondition', '_filter'])
      collectPaths((parsed[field] as { expression?: unknown } | undefined)?.expression, names);
    const updates = parsed._updates as { sections?: Array<{ path?: unknown; val?: unknown }> } | undefined;
    for (const section of updates?.sections ?? []) {
      collectPaths(section.path, names);
      collectPaths(section.val, names);
    }
  }
  return [...names];
}

const EXPRESSIONS = [
  'ProjectionExpression',
  'ConditionExpression',
  'KeyConditionExpression',
  'FilterExpression',
  'UpdateExpression',
];

/** The request's expressions parsed by dynalite: the parse trees, or its error message. */
function parseExpressions(input: Input): { parsed?: Input; error?: string } {
  if (!EXPRESSIONS.some((field) => input[field] !== undefined)) return {};
  const parsed: Input = { ...input };
  const error = validateExpressions(parsed);
  return error === undefined ? { parsed } : { error };
}

/** The partition key value a Query asks for: `pk = :v` in KeyConditionExpression, or KeyConditions' EQ. */
function queriedPartition(input: Input, parsed: Input | undefined, partitionKey: string): string | undefined {
  const legacy = objectOr(objectOr(input.KeyConditions)[partitionKey]);
  if (legacy.ComparisonOperator === 'EQ' && Array.isArray(legacy.AttributeValueList))
    return scalar(legacy.AttributeValueList[0]);
  const findEquality = (node: unknown): string | undefined => {
    const { type, args } = objectOr(node) as { type?: unknown; args?: unknown[] };
    if (!Array.isArray(args)) return undefined;
    if (type === 'and') return args.map(findEquality).find((value) => value !== undefined);
    if (type !== '=') return undefined;
    const [left, right] = args;
    const isKey = (side: unknown) => Array.isArray(side) && side.length === 1 && side[0] === partitionKey;
    if (isKey(left)) return scalar(right);
    if (isKey(right)) return scalar(left);
    return undefined;
  };
  return findEquality((objectOr(parsed?._keyCondition) as { expression?: unknown }).expression);
}

/** What every item operation puts in the context: the table or index, its keys, attributes and parameters. */
interface ItemContext {
  /** The partition key values touched, given the parsed expressions (a Query's come from its key condition). */
  leadingKeys?: (parse: () => Input | undefined) => string[] | undefined;
  input: Input;
  select?: boolean;
  returnValues?: boolean;
  enclosingOperation?: string;
}

/**
 * The condition keys of https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html:
 * - `dynamodb:LeadingKeys` (multivalued, "you must use the ForAllValues modifier"): the partition key values the
 *   request touches. Scan has none ("Scan returns all items regardless of the leading keys").
 * - `dynamodb:Attributes` (multivalued): see `attributesOf`.
 * - `dynamodb:Select`: "always has a value (ALL_ATTRIBUTES, unless otherwise specified)"; with a projection, the
 *   only value the API allows is SPECIFIC_ATTRIBUTES, and an index read defaults to ALL_PROJECTED_ATTRIBUTES
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html).
 * - `dynamodb:ReturnValues`: "always has a value (NONE unless otherwise specified)"; `dynamodb:ReturnConsumedCapacity`
 *   likewise defaults to NONE.
 * - `dynamodb:EnclosingOperation`: the transaction an item action belongs to.
 */
function conditionKeys({
  leadingKeys,
  input,
  select,
  returnValues,
  enclosingOperation,
}: ItemContext): Pick<DynamoDBAccess, 'context' | 'expressionError'> {
  let expressions: { parsed?: Input; error?: string } | undefined;
  const parse = () => (expressions ??= parseExpressions(input)).parsed;
  const context: Record<string, LazyContextValue> = {
    'dynamodb:Attributes': () => attributesOf(input, parse()),
    'dynamodb:ReturnConsumedCapacity':
      typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE',
  };
  if (leadingKeys) context['dynamodb:LeadingKeys'] = () => leadingKeys(parse);
  if (select) {
    const projected = input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined;
    const fallback = projected
      ? 'SPECIFIC_ATTRIBUTES'
      : input.IndexName !== undefined
        ? 'ALL_PROJECTED_ATTRIBUTES'
        : 'ALL_ATTRIBUTES';
    context['dynamodb:Select'] = typeof input.Select === 'string' ? input.Select : fallback;
  }
  if (returnValues)
    context['dynamodb:ReturnValues'] = typeof input.ReturnValues === 'string' ? input.ReturnValues : 'NONE';
  if (enclosingOperation !== undefined) context['dynamodb:EnclosingOperation'] = enclosingOperation;
  return { context, expressionError: () => expressions?.error };
}

const ITEM_ACTIONS: Record<string, { key: 'Key' | 'Item'; select?: boolean; returnValues?: boolean }> = {
  GetItem: { key: 'Key', select: true },
  PutItem: { key: 'Item', returnValues: true },
  UpdateItem: { key: 'Key', returnValues: true },
  DeleteItem: { key: 'Key', returnValues: true },
  ConditionCheckItem: { key: 'Key' },
};

/** The partition key values of `items` (Keys or Items) of one table, when its schema is known. */
function leadingKeysOf(table: TableRef, items: unknown[], scope: RequestScope): string[] | undefined {
  const keys = table.foreign ? undefined : scope.keysOf(table.name);
  if (!keys) return undefined;
  return items
    .map((item) => scalar(objectOr(item)[keys.partitionKey]))
    .filter((value): value is string => value !== undefined);
}

function itemAccess(
  action: string,
  input: Input,
  scope: RequestScope,
  enclosingOperation?: string,
): DynamoDBAccess[] {
  const table = tableRef(input.TableName, scope);
  const shape = ITEM_ACTIONS[action];
  if (!table || !shape) return [];
  return [
    {
      action: `dynamodb:${action}`,
      resource: table.arn,
      accountId: table.accountId,
      ...conditionKeys({
        input,
        leadingKeys: () => leadingKeysOf(table, [input[shape.key]], scope),
        select: shape.select,
        returnValues: shape.returnValues,
        enclosingOperation,
      }),
    },
  ];
}

/**
 * Query and Scan: the index's ARN when they read an index. A Query's leading key is the partition key value of its
 * key condition: the table's, or for an index the index's own partition key (AWS does not say which one
 * LeadingKeys holds for an index Query; the key condition can only name the index's).
 */
function readAccess(operation: 'Query' | 'Scan', input: Input, scope: RequestScope): DynamoDBAccess[] {
  const table = tableRef(input.TableName, scope);
  if (!table) return [];
  const index = typeof input.IndexName === 'string' ? input.IndexName : undefined;
  const leadingKeys = (parse: () => Input | undefined): string[] | undefined => {
    if (operation === 'Scan' || table.foreign) return undefined;
    const keys = scope.keysOf(table.name);
    const partitionKey = index === undefined ? keys?.partitionKey : keys?.indexPartitionKeys[index];
    const value = partitionKey === undefined ? undefined : queriedPartition(input, parse(), partitionKey);
    return value === undefined ? undefined : [value];
  };
  return [
    {
      action: `dynamodb:${operation}`,
      resource: index === undefined ? table.arn : `${table.arn}/index/${index}`,
      accountId: table.accountId,
      ...conditionKeys({ input, leadingKeys, select: true }),
    },
  ];
}

/** BatchGetItem / BatchWriteItem: the batch action on every table it names, each with its own keys. */
function batchAccess(
  operation: 'BatchGetItem' | 'BatchWriteItem',
  input: Input,
  scope: RequestScope,
): DynamoDBAccess[] {
  return Object.entries(objectOr(input.RequestItems)).flatMap(([name, raw]) => {
    const table = tableRef(name, scope);
    if (!table) return [];
    let perTable: Input;
    let items: unknown[];
    if (operation === 'BatchGetItem') {
      perTable = objectOr(raw);
      items = Array.isArray(perTable.Keys) ? perTable.Keys : [];
      perTable = { ...perTable, Keys: undefined, Key: Object.assign({}, ...items.map(objectOr)) };
    } else {
      const requests = Array.isArray(raw) ? raw.map(objectOr) : [];
      items = requests.map(
        (request) => objectOr(request.PutRequest).Item ?? objectOr(request.DeleteRequest).Key,
      );
      perTable = { Item: Object.assign({}, ...items.map(objectOr)) };
    }
    return [
      {
        action: `dynamodb:${operation}`,
        resource: table.arn,
        accountId: table.accountId,
        ...conditionKeys({
          input: { ...perTable, ReturnConsumedCapacity: input.ReturnConsumedCapacity },
          leadingKeys: () => leadingKeysOf(table, items, scope),
          select: operation === 'BatchGetItem',
        }),
      },
    ];
  });
}

/**
 * "Permissions for Put, Update, Delete, and Get actions are governed by the permissions used for the underlying
 * PutItem, UpdateItem, DeleteItem, and GetItem operations. For the ConditionCheck action, you can use the
 * dynamodb:ConditionCheckItem permission": there is no dynamodb:TransactWriteItems action.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
function transactionAccess(
  operation: 'TransactGetItems' | 'TransactWriteItems',
  input: Input,
  scope: RequestScope,
): DynamoDBAccess[] {
  const actionOf: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    ConditionCheck: 'ConditionCheckItem',
  };
  const items = Array.isArray(input.TransactItems) ? input.TransactItems.map(objectOr) : [];
  return items.flatMap((item) =>
    Object.entries(item).flatMap(([kind, part]) => {
      const action = actionOf[kind];
      return action
        ? itemAccess(
            action,
            { ...objectOr(part), ReturnConsumedCapacity: input.ReturnConsumedCapacity },
            scope,
            operation,
          )
        : [];
    }),
  );
}

/** Operations that name no table: their resource is `*` (the service authorization reference lists none). */
const ACCOUNT_WIDE = new Set([
  'ListTables',
  'DescribeLimits',
  'DescribeEndpoints',
  'ListBackups',
  'ListGlobalTables',
  'ListExports',
  'ListImports',
]);

/**
 * Every permission a DynamoDB request needs, as AWS checks them: one per table (or index, or transaction item);
 * all must be allowed, or the whole request is refused. That a Batch* call with one table denied fails as a whole
 * is this tool's choice: AWS documents per-table checks ("table*" in
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html) but not the
 * outcome, and refusing the whole call is the safe reading.
 */
export function accessesOf(operation: string, input: Input, scope: RequestScope): DynamoDBAccess[] {
  const accesses = namedAccesses(operation, input, scope);
  // A request that names no table it may be checked against (malformed; dynalite refuses it) still needs its action.
  return accesses.length > 0
    ? accesses
    : [
        {
          action: `dynamodb:${operation}`,
          resource: '*',
          accountId: scope.accountId,
          context: {},
          expressionError: () => undefined,
        },
      ];
}

function namedAccesses(operation: string, input: Input, scope: RequestScope): DynamoDBAccess[] {
  if (operation in ITEM_ACTIONS && operation !== 'ConditionCheckItem')
    return itemAccess(operation, input, scope);
  if (operation === 'Query' || operation === 'Scan') return readAccess(operation, input, scope);
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem')
    return batchAccess(operation, input, scope);
  if (operation === 'TransactGetItems' || operation === 'TransactWriteItems')
    return transactionAccess(operation, input, scope);
  const table = tableRef(input.TableName ?? input.ResourceArn, scope);
  if (table && !ACCOUNT_WIDE.has(operation))
    return [
      {
        action: `dynamodb:${operation}`,
        resource: table.arn,
        accountId: table.accountId,
        context: {},
        expressionError: () => undefined,
      },
    ];
  return [];
}

/** The caller's own tables a request names (whose key schemas `accessesOf` needs): by name or by own-account ARN. */
export function ownTablesOf(input: Input, scope: Omit<RequestScope, 'keysOf'>): string[] {
  const names: unknown[] = [input.TableName, ...Object.keys(objectOr(input.RequestItems))];
  if (Array.isArray(input.TransactItems))
    for (const item of input.TransactItems)
      for (const part of Object.values(objectOr(item))) names.push(objectOr(part).TableName);
  const own = names
    .map((name) => tableRef(name, { ...scope, keysOf: () => undefined }))
    .filter((table): table is TableRef => table !== undefined && !table.foreign)
    .map((table) => table.name);
  return [...new Set(own)];
}
