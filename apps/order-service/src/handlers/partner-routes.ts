import { jsonResponse, type HttpRoute } from '@sigv4-auth/lambda-http';
import { partnerOf } from '../auth/verified-claims';
import type { OrderRepository } from '../repository/order-repository';
import { readOrder } from './read-order';

/**
 * `GET /partner/orders/{id}` (COGNITO_USER_POOLS with scope `orders-api/orders.read`: a partner system's
 * client_credentials access token): any order by its id.
 */
export function getPartnerOrderRoute(orders: OrderRepository): HttpRoute {
  return async ({ event, logger }) => {
    const partner = partnerOf(event);
    const order = await readOrder(orders, event);
    logger.info('order read by a partner', { orderId: order.id, clientId: partner.clientId });
    return jsonResponse(200, order);
  };
}
