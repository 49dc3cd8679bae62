import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger, orderRepository } from '../config';
import { getPartnerOrderRoute } from './partner-routes';

export const handler = httpHandler(logger, (request) => getPartnerOrderRoute(orderRepository())(request));
