import { httpHandler } from '@sigv4-auth/lambda-http';
import { BROWSER_ROUTE, logger, orderRepository } from '../config';
import { getMyOrderRoute } from './me-routes';

export const handler = httpHandler(
  logger,
  (request) => getMyOrderRoute(orderRepository())(request),
  BROWSER_ROUTE,
);
