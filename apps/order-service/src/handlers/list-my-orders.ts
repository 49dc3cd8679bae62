import { httpHandler } from '@sigv4-auth/lambda-http';
import { BROWSER_ROUTE, logger, orderRepository } from '../config';
import { listMyOrdersRoute } from './me-routes';

export const handler = httpHandler(
  logger,
  (request) => listMyOrdersRoute(orderRepository())(request),
  BROWSER_ROUTE,
);
