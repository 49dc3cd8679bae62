import { httpHandler } from '@sigv4-auth/lambda-http';
import { customerServiceClient, logger, orderRepository } from '../config';
import { createOrderRoute } from './routes';

export const handler = httpHandler(logger, (request) =>
  createOrderRoute({ orders: orderRepository(), customers: customerServiceClient() })(request),
);
