import { fromEnv } from '@aws-sdk/credential-providers';
import { createLogger } from '@sigv4-auth/lambda-http';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { CustomerServiceClient } from './clients/customer-service-client';

export const logger = createLogger({ service: 'identity-service' });

let customers: CustomerServiceClient | undefined;

/**
 * customer-service, called with the credentials Lambda gives this function (its execution role's temporary
 * credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). Built on first use and reused
 * while the Lambda environment stays warm.
 */
export function customerServiceClient(): CustomerServiceClient {
  if (customers) return customers;
  const { CUSTOMER_API_URL, AWS_REGION, CUSTOMER_API_TIMEOUT_MS } = process.env;
  if (!CUSTOMER_API_URL || !AWS_REGION)
    throw new Error('CUSTOMER_API_URL and AWS_REGION must be set (the template and Lambda set them)');
  customers = new CustomerServiceClient(
    CUSTOMER_API_URL,
    createSignedFetch({
      credentials: fromEnv(),
      service: 'execute-api',
      region: AWS_REGION,
      timeoutMs: Number(CUSTOMER_API_TIMEOUT_MS ?? 3000),
    }),
  );
  return customers;
}
