import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order';

export class OrderAlreadyExistsError extends Error {
  public constructor(id: string, options?: ErrorOptions) {
    super(`Order ${id} already exists`, options);
    this.name = 'OrderAlreadyExistsError';
  }
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

  public async get(id: string): Promise<Order | undefined> {
    const result = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
    return result.Item as Order | undefined;
  }
}
