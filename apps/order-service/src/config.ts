import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromEnv } from '@aws-sdk/credential-providers';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@sigv4-auth/lambda-http';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { CustomerServiceClient } from './clients/customer-service-client';
import { OrderRepository } from './repository/order-repository';

export const logger = createLogger({ service: 'order-service' });

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

let orders: OrderRepository | undefined;
let customers: CustomerServiceClient | undefined;

/** Built on first use and reused while the Lambda environment stays warm. */
export function orderRepository(): OrderRepository {
  orders ??= new OrderRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    requiredEnv('ORDERS_TABLE'),
  );
  return orders;
}

/**
 * customer-service, called with the credentials Lambda gives this function (its execution role's temporary
 * credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN).
 */
export function customerServiceClient(): CustomerServiceClient {
  customers ??= new CustomerServiceClient(
    requiredEnv('CUSTOMER_API_URL'),
    createSignedFetch({
      credentials: fromEnv(),
      service: 'execute-api',
      region: requiredEnv('AWS_REGION'),
      timeoutMs: Number(process.env.CUSTOMER_API_TIMEOUT_MS ?? 3000),
    }),
  );
  return customers;
}
