import { httpHandler } from '@sigv4-auth/lambda-http';
import { customerRepository, logger } from '../config';
import { createCustomerRoute } from './routes';

export const handler = httpHandler(logger, (request) => createCustomerRoute(customerRepository())(request));
