import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger, orderRepository } from '../config';
import { listMyOrdersRoute } from './me-routes';

export const handler = httpHandler(logger, (request) => listMyOrdersRoute(orderRepository())(request));
