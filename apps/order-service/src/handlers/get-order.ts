import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger, orderRepository } from '../config';
import { getOrderRoute } from './routes';

export const handler = httpHandler(logger, (request) => getOrderRoute(orderRepository())(request));
