import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger } from '@sigv4-auth/lambda-http';
import { OrderRepository } from './repository/order-repository';

export const logger = createLogger({ service: 'order-service' });

/**
 * What the /me routes add to every answer, errors included, so a web page on another origin can read them
 * (`cors: true` in serverless.yml answers the preflight; API Gateway's own refusals get theirs from the
 * GatewayResponse resources).
 */
export const BROWSER_ROUTE = { responseHeaders: { 'access-control-allow-origin': '*' } };

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

let orders: OrderRepository | undefined;

/** Built on first use and reused while the Lambda environment stays warm. */
export function orderRepository(): OrderRepository {
  orders ??= new OrderRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    requiredEnv('ORDERS_TABLE'),
  );
  return orders;
}
