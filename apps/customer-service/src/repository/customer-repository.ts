import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../domain/customer';

export class CustomerAlreadyExistsError extends Error {
  public constructor(id: string, options?: ErrorOptions) {
    super(`Customer ${id} already exists`, options);
    this.name = 'CustomerAlreadyExistsError';
  }
}

/** Customers in DynamoDB, keyed by `id`. Writes are conditional: an existing item is never overwritten. */
export class CustomerRepository {
  public constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async create(customer: Customer): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: customer,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new CustomerAlreadyExistsError(customer.id, { cause: error });
      throw error;
    }
  }

  public async get(id: string): Promise<Customer | undefined> {
    const result = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
    return result.Item as Customer | undefined;
  }
}
