import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger, orderRepository } from '../config';
import { listAdminOrdersRoute } from './admin-routes';

export const handler = httpHandler(logger, (request) => listAdminOrdersRoute(orderRepository())(request));
