import { httpHandler } from '@sigv4-auth/lambda-http';
import { BROWSER_ROUTE, logger, orderRepository } from '../config';
import { customerServiceClient } from '../customer-service-config';
import { createMyOrderRoute } from './me-routes';

export const handler = httpHandler(
  logger,
  (request) => createMyOrderRoute({ orders: orderRepository(), customers: customerServiceClient() })(request),
  BROWSER_ROUTE,
);
