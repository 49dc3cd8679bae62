import { httpHandler } from '@sigv4-auth/lambda-http';
import { customerRepository, logger } from '../config';
import { getCustomerRoute } from './routes';

export const handler = httpHandler(logger, (request) => getCustomerRoute(customerRepository())(request));
