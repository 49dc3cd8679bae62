import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order';

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

/** Orders in DynamoDB, keyed by `id`. Writes are conditional: an existing order is never overwritten. */
export class OrderRepository {
  public constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async create(order: Order): Promise<void> {
    if (!(await this.putIfAbsent(order))) throw new OrderAlreadyExistsError(order.id);
  }

  /** Strongly consistent: a replay right after the first request must see its order. */
  public async get(id: string): Promise<Order | undefined> {
    return this.getItem<Order>(id);
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
  private async putIfAbsent(item: { id: string }): Promise<boolean> {
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
