const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:[^:]*:(\d{12}):table\//;

/** Every table a DynamoDB request names: TableName, batch keys, transaction items, tagging ResourceArn. */
function namedTables(input: Record<string, unknown>): string[] {
  const names: string[] = [];
  const add = (value: unknown) => typeof value === 'string' && names.push(value);
  add(input.TableName);
  add(input.ResourceArn);
  if (input.RequestItems && typeof input.RequestItems === 'object')
    names.push(...Object.keys(input.RequestItems));
  if (Array.isArray(input.TransactItems))
    for (const item of input.TransactItems as Array<Record<string, { TableName?: unknown } | undefined>>)
      for (const part of Object.values(item ?? {})) add(part?.TableName);
  return names;
}

/**
 * The first table of another account that a request names by ARN, if any. DynamoDB lets a caller name a
 * table by its ARN ("table name overloading"), and "for cross-account access, you must explicitly allow access
 * in both the identity and resource policies"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-auth-iam-id-based-policies-DDB.html).
 * The local cloud models no DynamoDB resource policies, so such a request is always refused.
 */
export function foreignTable(body: Uint8Array, callerAccountId: string): string | undefined {
  let input: unknown;
  try {
    input = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined; // dynalite answers malformed JSON itself
  }
  if (input === null || typeof input !== 'object') return undefined;
  return namedTables(input as Record<string, unknown>).find((name) => {
    const account = TABLE_ARN.exec(name)?.[1];
    return account !== undefined && account !== callerAccountId;
  });
}
