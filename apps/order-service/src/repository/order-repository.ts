import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order';

export class OrderAlreadyExistsError extends Error {
  public constructor(id: string, options?: ErrorOptions) {
    super(`Order ${id} already exists`, options);
    this.name = 'OrderAlreadyExistsError';
  }
}

/** A stored order and, when it was created with an Idempotency-Key, the hash of the request that created it. */
export interface StoredOrder {
  order: Order;
  requestHash?: string;
}

/** Orders in DynamoDB, keyed by `id`. Writes are conditional: an existing order is never overwritten. */
export class OrderRepository {
  public constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async create(order: Order, requestHash?: string): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: requestHash === undefined ? order : { ...order, requestHash },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new OrderAlreadyExistsError(order.id, { cause: error });
      throw error;
    }
  }

  public async get(id: string): Promise<Order | undefined> {
    return (await this.getStored(id))?.order;
  }

  /** Strongly consistent: a replay right after the first request must see its order. */
  public async getStored(id: string): Promise<StoredOrder | undefined> {
    const result = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { requestHash, ...order } = result.Item as Order & { requestHash?: string };
    return { order, requestHash };
  }
}
