import { httpHandler } from '@sigv4-auth/lambda-http';
import { customerRepository } from '../config';
import { logger } from '../logger';
import { putCustomerRoute } from './routes';

export const handler = httpHandler(logger, (request) => putCustomerRoute(customerRepository())(request));
