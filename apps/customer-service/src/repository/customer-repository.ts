import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../domain/customer';

export class CustomerAlreadyExistsError extends Error {
  public constructor(id: string, options?: ErrorOptions) {
    super(`Customer ${id} already exists`, options);
    this.name = 'CustomerAlreadyExistsError';
  }
}

/** The stored customer is not the one a replacement was based on any more (or is gone): read it again. */
export class CustomerChangedError extends Error {
  public constructor(id: string, options?: ErrorOptions) {
    super(`Customer ${id} changed while it was being replaced`, options);
    this.name = 'CustomerChangedError';
  }
}

/**
 * Customers in DynamoDB, keyed by `id`. Writes are conditional: `create` never overwrites an existing item, and
 * `replace` overwrites only the item it was read from.
 */
export class CustomerRepository {
  public constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async create(customer: Customer): Promise<void> {
    await this.putIf(
      customer,
      { ConditionExpression: 'attribute_not_exists(id)' },
      (cause) => new CustomerAlreadyExistsError(customer.id, { cause }),
    );
  }

  /**
   * Overwrites the stored customer with `customer`, provided the item still has the `createdAt` read before
   * (so a record deleted and created again meanwhile is not overwritten with the old one's creation data).
   */
  public async replace(customer: Customer, readCreatedAt: string): Promise<void> {
    await this.putIf(
      customer,
      {
        ConditionExpression: 'createdAt = :createdAt',
        ExpressionAttributeValues: { ':createdAt': readCreatedAt },
      },
      (cause) => new CustomerChangedError(customer.id, { cause }),
    );
  }

  public async get(id: string): Promise<Customer | undefined> {
    const result = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
    return result.Item as Customer | undefined;
  }

  /** A put that throws `refused(cause)` when its condition does not hold. */
  private async putIf(
    customer: Customer,
    condition: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'>,
    refused: (cause: ConditionalCheckFailedException) => Error,
  ): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({ TableName: this.tableName, Item: customer, ...condition }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw refused(error);
      throw error;
    }
  }
}
