import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger, orderRepository } from '../config';
import { cancelOrderRoute } from './admin-routes';

export const handler = httpHandler(logger, (request) => cancelOrderRoute(orderRepository())(request));
