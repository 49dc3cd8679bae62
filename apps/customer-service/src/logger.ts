import { createLogger } from '@sigv4-auth/lambda-http';

/** Its own module: a handler that needs only the logger (whoami) does not load the DynamoDB client. */
export const logger = createLogger({ service: 'customer-service' });
