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
   * After authorization: why the request must still be refused, as DynamoDB would refuse it, before dynalite sees
   * it: an expression a condition needed that does not parse (its attributes were unknown to the check), a key
   * schema a condition needed that does not exist, a Select that does not fit the projection (dynalite would
   * return whole items), a tagging ARN dynalite would read differently.
   */
  refusal: () => Refusal | undefined;
}

export interface Refusal {
  code: 'ValidationException' | 'ResourceNotFoundException';
  message: string;
}

const NO_REFUSAL = (): undefined => undefined;

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
/** A table ARN exactly: what the tagging operations must be given (any other shape is refused, never reinterpreted). */
const EXACT_TABLE_ARN = /^arn:aws:dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/;

interface TableRef {
  name: string;
  arn: string;
  accountId: string;
  /** Named by ARN in another account: its key schema is not the caller's to read. */
  foreign: boolean;
}

/**
 * A table named by name, or by ARN ("table name overloading": any operation takes the table's ARN). Another
 * account's table is named by its ARN only.
 */
function tableRef(
  nameOrArn: unknown,
  scope: Pick<RequestScope, 'region' | 'accountId'>,
): TableRef | undefined {
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
  /**
   * The partition key values touched, given the parsed expressions (a Query's come from its key condition), or why
   * they cannot be known (no such table or index): then a policy that reads them cannot be answered, and the
   * request is refused as DynamoDB refuses it.
   */
  leadingKeys?: (parse: () => Input | undefined) => string[] | Refusal | undefined;
  input: Input;
  /** `item`: GetItem-like (no Select parameter: a projection or everything); `read`: Query and Scan. */
  select?: 'item' | 'read';
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
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html). GetItem and BatchGetItem take
 *   no Select: theirs is SPECIFIC_ATTRIBUTES with a projection, else ALL_ATTRIBUTES, whatever the request says.
 *   A Query or Scan whose Select does not fit its projection is refused (`selectRefusal`): dynalite would answer
 *   it with whole items, past a policy that allowed only SPECIFIC_ATTRIBUTES.
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
}: ItemContext): Pick<DynamoDBAccess, 'context' | 'refusal'> {
  let expressions: { parsed?: Input; error?: string } | undefined;
  let keysRefusal: Refusal | undefined;
  const parse = () => (expressions ??= parseExpressions(input)).parsed;
  const context: Record<string, LazyContextValue> = {
    'dynamodb:Attributes': () => attributesOf(input, parse()),
    'dynamodb:ReturnConsumedCapacity':
      typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE',
  };
  if (leadingKeys)
    context['dynamodb:LeadingKeys'] = () => {
      const keys = leadingKeys(parse);
      if (keys === undefined || Array.isArray(keys)) return keys;
      keysRefusal = keys;
      return undefined;
    };
  const projected = input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined;
  let selectProblem: Refusal | undefined;
  if (select) {
    const fallback = projected
      ? 'SPECIFIC_ATTRIBUTES'
      : input.IndexName !== undefined
        ? 'ALL_PROJECTED_ATTRIBUTES'
        : 'ALL_ATTRIBUTES';
    const given = select === 'read' && typeof input.Select === 'string' ? input.Select : undefined;
    context['dynamodb:Select'] = given ?? fallback;
    selectProblem =
      given === undefined ? undefined : selectRefusal(given, projected, input.IndexName !== undefined);
  }
  if (returnValues)
    context['dynamodb:ReturnValues'] = typeof input.ReturnValues === 'string' ? input.ReturnValues : 'NONE';
  if (enclosingOperation !== undefined) context['dynamodb:EnclosingOperation'] = enclosingOperation;
  return {
    context,
    refusal: () =>
      (expressions?.error === undefined
        ? undefined
        : ({ code: 'ValidationException', message: expressions.error } as const)) ??
      keysRefusal ??
      selectProblem,
  };
}

/**
 * "If you use the ProjectionExpression parameter, then the value for Select can only be SPECIFIC_ATTRIBUTES. Any
 * other value for Select will return an error", SPECIFIC_ATTRIBUTES needs a projection, and ALL_PROJECTED_ATTRIBUTES
 * an index (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-Select).
 * dynalite checks none of them.
 */
function selectRefusal(select: string, projected: boolean, onIndex: boolean): Refusal | undefined {
  const invalid = (message: string): Refusal => ({ code: 'ValidationException', message });
  if (select === 'SPECIFIC_ATTRIBUTES' && !projected)
    return invalid(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    );
  if (select !== 'SPECIFIC_ATTRIBUTES' && projected)
    return invalid(
      `Cannot specify the AttributesToGet or ProjectionExpression when choosing to get ${select}`,
    );
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !onIndex)
    return invalid('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  return undefined;
}

const NO_SUCH_TABLE: Refusal = { code: 'ResourceNotFoundException', message: 'Requested resource not found' };

const ITEM_ACTIONS: Record<string, { key: 'Key' | 'Item'; select?: 'item'; returnValues?: boolean }> = {
  GetItem: { key: 'Key', select: 'item' },
  PutItem: { key: 'Item', returnValues: true },
  UpdateItem: { key: 'Key', returnValues: true },
  DeleteItem: { key: 'Key', returnValues: true },
  ConditionCheckItem: { key: 'Key' },
};

/** The partition key values of `items` (Keys or Items) of one table, when its schema is known. */
function leadingKeysOf(
  table: TableRef,
  items: unknown[],
  scope: RequestScope,
): string[] | Refusal | undefined {
  if (table.foreign) return undefined;
  const keys = scope.keysOf(table.name);
  if (!keys) return NO_SUCH_TABLE;
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
  const shape = Object.hasOwn(ITEM_ACTIONS, action) ? ITEM_ACTIONS[action] : undefined;
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
  const leadingKeys = (parse: () => Input | undefined): string[] | Refusal | undefined => {
    if (operation === 'Scan' || table.foreign) return undefined;
    const keys = scope.keysOf(table.name);
    if (!keys) return NO_SUCH_TABLE;
    const partitionKey =
      index === undefined
        ? keys.partitionKey
        : Object.hasOwn(keys.indexPartitionKeys, index)
          ? keys.indexPartitionKeys[index]
          : undefined;
    if (partitionKey === undefined)
      return {
        code: 'ValidationException',
        message: `The table does not have the specified index: ${index}`,
      };
    const value = queriedPartition(input, parse(), partitionKey);
    // A Query must name its partition key by equality: "Query condition missed key schema element".
    return value === undefined
      ? { code: 'ValidationException', message: `Query condition missed key schema element: ${partitionKey}` }
      : [value];
  };
  return [
    {
      action: `dynamodb:${operation}`,
      resource: index === undefined ? table.arn : `${table.arn}/index/${index}`,
      accountId: table.accountId,
      ...conditionKeys({ input, leadingKeys, select: 'read' }),
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
          select: operation === 'BatchGetItem' ? 'item' : undefined,
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
      const action = Object.hasOwn(actionOf, kind) ? actionOf[kind] : undefined;
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
          refusal: NO_REFUSAL,
        },
      ];
}

function namedAccesses(operation: string, input: Input, scope: RequestScope): DynamoDBAccess[] {
  if (Object.hasOwn(ITEM_ACTIONS, operation) && operation !== 'ConditionCheckItem')
    return itemAccess(operation, input, scope);
  if (operation === 'Query' || operation === 'Scan') return readAccess(operation, input, scope);
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem')
    return batchAccess(operation, input, scope);
  if (operation === 'TransactGetItems' || operation === 'TransactWriteItems')
    return transactionAccess(operation, input, scope);
  if (TAGGING.has(operation)) return [taggingAccess(operation, input, scope)];
  const table = tableRef(input.TableName, scope);
  if (table && !ACCOUNT_WIDE.has(operation))
    return [
      {
        action: `dynamodb:${operation}`,
        resource: table.arn,
        accountId: table.accountId,
        context: {},
        refusal: NO_REFUSAL,
      },
    ];
  return [];
}

/** The operations that name their table by `ResourceArn` only (dynalite ignores a TableName given with them). */
const TAGGING = new Set(['TagResource', 'UntagResource', 'ListTagsOfResource']);

/**
 * A tagging operation on exactly the table its ResourceArn names. dynalite acts on the part after the last `/` of
 * any ARN-looking string, so anything but an exact table ARN of this region is refused rather than checked as one
 * resource and acted on as another.
 */
function taggingAccess(operation: string, input: Input, scope: RequestScope): DynamoDBAccess {
  const given = typeof input.ResourceArn === 'string' ? input.ResourceArn : undefined;
  const exact = given === undefined ? null : EXACT_TABLE_ARN.exec(given);
  const [, region, accountId, name] = (exact ?? []) as Array<string | undefined>;
  if (!exact || region !== scope.region || accountId === undefined || name === undefined)
    return {
      action: `dynamodb:${operation}`,
      resource: given ?? '*',
      accountId: accountId ?? scope.accountId,
      context: {},
      refusal: () => ({
        code: 'ValidationException',
        message: `Invalid TableArn: Invalid ResourceArn provided as input ${given ?? ''}`,
      }),
    };
  return {
    action: `dynamodb:${operation}`,
    resource: `arn:aws:dynamodb:${region}:${accountId}:table/${name}`,
    accountId,
    context: {},
    refusal: NO_REFUSAL,
  };
}

/** The caller's own tables a request names (whose key schemas `accessesOf` needs): by name or by own-account ARN. */
export function ownTablesOf(input: Input, scope: Omit<RequestScope, 'keysOf'>): string[] {
  const names: unknown[] = [input.TableName, ...Object.keys(objectOr(input.RequestItems))];
  if (Array.isArray(input.TransactItems))
    for (const item of input.TransactItems)
      for (const part of Object.values(objectOr(item))) names.push(objectOr(part).TableName);
  const own = names
    .map((name) => tableRef(name, scope))
    .filter((table): table is TableRef => table !== undefined && !table.foreign)
    .map((table) => table.name);
  return [...new Set(own)];
}
