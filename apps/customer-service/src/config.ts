import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CustomerRepository } from './repository/customer-repository';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

let repository: CustomerRepository | undefined;

/** Built on first use (and reused while the Lambda environment stays warm); the SDK reads AWS_ENDPOINT_URL. */
export function customerRepository(): CustomerRepository {
  repository ??= new CustomerRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    requiredEnv('CUSTOMERS_TABLE'),
  );
  return repository;
}
