import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order';
import { ALL_ORDERS, type OrderPage, type PageRequest } from '../domain/order-page';

/** The orders table's index of end users' orders: partition `ownerSub`, sort `createdAt` (ISO 8601, so by time). */
export const OWNER_INDEX = 'byOwner';
/**
 * The index of every order, newest first, for staff: partition `listing` (always `ALL_ORDERS`), sort `createdAt`.
 * One partition takes about 1,000 writes/s per index on DynamoDB: plenty for this shop; a larger one would shard
 * it (`all-orders#<n>`) and merge the pages.
 */
export const RECENT_INDEX = 'byCreation';

/** The index attribute is storage, not part of the order callers see. */
function withoutListing(item: Order & { listing?: string }): Order {
  const { listing: _listing, ...order } = item;
  return order;
}

export class OrderAlreadyExistsError extends Error {
  public constructor(id: string, options?: ErrorOptions) {
    super(`Order ${id} already exists`, options);
    this.name = 'OrderAlreadyExistsError';
  }
}

/** An Idempotency-Key's record: the order it stands for and the request it was first used with. */
export interface IdempotencyRecord {
  id: string;
  orderId: string;
  requestHash: string;
  createdAt: string;
}

/**
 * Orders in DynamoDB, keyed by `id`. Writes are conditional: an existing order is never overwritten. Orders with
 * an `ownerSub` are in the sparse index `OWNER_INDEX` too (idempotency records have none, so they never are).
 */
export class OrderRepository {
  public constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async create(order: Order): Promise<void> {
    if (!(await this.putIfAbsent({ ...order, listing: ALL_ORDERS })))
      throw new OrderAlreadyExistsError(order.id);
  }

  /** Strongly consistent: a replay right after the first request must see its order. */
  public async get(id: string): Promise<Order | undefined> {
    const item = await this.getItem<Order & { listing?: string }>(id);
    return item && withoutListing(item);
  }

  /**
   * One owner's orders, newest first: a Query of the owner index, never a Scan. It asks for one order more than
   * the page holds, so a page that ends the listing carries no `next` (no empty last page). Eventually
   * consistent, as every index read: an order placed a moment ago may show up a moment later.
   */
  public async listByOwner(ownerSub: string, page: PageRequest): Promise<OrderPage> {
    return this.listIndex(OWNER_INDEX, 'ownerSub', ownerSub, page);
  }

  /** Every order, newest first (staff): a Query of `RECENT_INDEX`, never a Scan. */
  public async listRecent(page: PageRequest): Promise<OrderPage> {
    return this.listIndex(RECENT_INDEX, 'listing', ALL_ORDERS, page);
  }

  /**
   * Marks an order cancelled by `staffSub` (kept, never deleted). The first cancellation stands: cancelling again
   * returns the order as it was cancelled. Undefined when there is no such order.
   */
  public async cancel(id: string, staffSub: string, at: string): Promise<Order | undefined> {
    try {
      const result = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          // attribute_exists(customerId): an order, never an idempotency record (they share the table).
          ConditionExpression: 'attribute_exists(customerId) AND attribute_not_exists(#status)',
          UpdateExpression: 'SET #status = :cancelled, cancelledBy = :by, cancelledAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':by': staffSub, ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return withoutListing(result.Attributes as Order & { listing?: string });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(id);
      return existing?.customerId === undefined ? undefined : existing;
    }
  }

  /**
   * One partition of an index, newest first. It asks for one order more than the page holds, so a page that ends
   * the listing carries no `next` (no empty last page).
   */
  private async listIndex(
    indexName: string,
    partitionAttribute: string,
    partition: string,
    { limit, after }: PageRequest,
  ): Promise<OrderPage> {
    const result = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#partition = :partition',
        ExpressionAttributeNames: { '#partition': partitionAttribute },
        ExpressionAttributeValues: { ':partition': partition },
        ScanIndexForward: false,
        Limit: limit + 1,
        ExclusiveStartKey: after && {
          id: after.id,
          [partitionAttribute]: partition,
          createdAt: after.createdAt,
        },
      }),
    );
    const found = ((result.Items ?? []) as Array<Order & { listing?: string }>).map(withoutListing);
    const orders = found.slice(0, limit);
    const last = orders.at(-1);
    // More than a page, or DynamoDB stopped early (its 1 MB per query): go on after this page's last order.
    const more = found.length > limit || result.LastEvaluatedKey !== undefined;
    return more && last
      ? { orders, next: { id: last.id, ownerSub: partition, createdAt: last.createdAt } }
      : { orders };
  }

  /**
   * Binds a key to an order id, unless it is bound already: the conditional put makes exactly one request
   * the key's first. Returns the record in force (this one, or the one that was there).
   */
  public async claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyRecord> {
    if (await this.putIfAbsent(record)) return record;
    const existing = await this.getItem<IdempotencyRecord>(record.id);
    if (!existing) throw new Error(`Idempotency record ${record.id} vanished`);
    return existing;
  }

  /** Writes the item unless one with its id exists (never an overwrite); false when one did. */
  private async putIfAbsent(item: { id: string; listing?: string }): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async getItem<T>(id: string): Promise<T | undefined> {
    const result = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return result.Item as T | undefined;
  }
}
