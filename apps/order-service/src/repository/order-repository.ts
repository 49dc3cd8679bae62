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
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: order,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new OrderAlreadyExistsError(order.id, { cause: error });
      throw error;
    }
  }

  /** Strongly consistent: a replay right after the first request must see its order. */
  public async get(id: string): Promise<Order | undefined> {
    const result = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return result.Item as Order | undefined;
  }

  /**
   * Binds a key to an order id, unless it is bound already: the conditional put makes exactly one request
   * the key's first. Returns the record in force (this one, or the one that was there).
   */
  public async claimIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyRecord> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { id: record.id }, ConsistentRead: true }),
    );
    if (!existing.Item) throw new Error(`Idempotency record ${record.id} vanished`);
    return existing.Item as IdempotencyRecord;
  }
}
