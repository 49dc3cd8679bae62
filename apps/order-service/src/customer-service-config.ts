import { fromEnv } from '@aws-sdk/credential-providers';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { CustomerServiceClient } from './clients/customer-service-client';
import { requiredEnv } from './config';

// Its own module: getOrder, which never calls customer-service, does not load signed-fetch.
let customers: CustomerServiceClient | undefined;

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
