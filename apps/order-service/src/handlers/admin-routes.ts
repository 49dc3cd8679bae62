import {
  ForbiddenError,
  jsonResponse,
  NotFoundError,
  BadRequestError,
  type HttpRoute,
} from '@sigv4-auth/lambda-http';
import { mayCall, staffOf } from '../auth/staff';
import { isOrderId } from '../domain/order';
import { ALL_ORDERS, pageTokenOf, parsePageRequest } from '../domain/order-page';
import type { OrderRepository } from '../repository/order-repository';

// Staff routes (CUSTOM: adminAuthorizer, a TOKEN authorizer on the company's OIDC IdP). The authorizer's policy
// already decides who may call which route; the handlers check the verified groups again, so a policy mistake
// does not hand out cancellations.

/** `GET /admin/orders?limit=&nextToken=` -> `{orders, nextToken?}`: every order, newest first. */
export function listAdminOrdersRoute(orders: OrderRepository): HttpRoute {
  return async ({ event, logger }) => {
    const staff = staffOf(event);
    if (!mayCall(staff, 'GET /admin/orders'))
      throw new ForbiddenError('Only support and admin staff may list orders');
    const page = await orders.listRecent(parsePageRequest(event.queryStringParameters, ALL_ORDERS));
    logger.info('orders listed by staff', { staff: staff.sub, count: page.orders.length });
    return jsonResponse(200, {
      orders: page.orders,
      ...(page.next === undefined ? {} : { nextToken: pageTokenOf(page.next) }),
    });
  };
}

/** `DELETE /admin/orders/{id}` -> 200 the order, `status: "cancelled"`, `cancelledBy`, `cancelledAt` (kept). */
export function cancelOrderRoute(orders: OrderRepository, now: () => Date = () => new Date()): HttpRoute {
  return async ({ event, logger }) => {
    const staff = staffOf(event);
    if (!mayCall(staff, 'DELETE /admin/orders/*'))
      throw new ForbiddenError('Only the admin group may cancel orders');
    const id = event.pathParameters?.id;
    if (!isOrderId(id)) throw new BadRequestError('Order id must be a UUID');
    const order = await orders.cancel(id, staff.sub, now().toISOString());
    if (!order) throw new NotFoundError(`Order ${id} not found`);
    logger.info('order cancelled', { orderId: id, staff: staff.sub, cancelledAt: order.cancelledAt });
    return jsonResponse(200, order);
  };
}
