import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger, orderRepository } from '../config';
import { customerServiceClient } from '../customer-service-config';
import { createOrderRoute } from './routes';

export const handler = httpHandler(logger, (request) =>
  createOrderRoute({ orders: orderRepository(), customers: customerServiceClient() })(request),
);
