import { jsonResponse, parseJsonObjectBody, type HttpRoute } from '@sigv4-auth/lambda-http';
import { endUserOf } from '../auth/verified-claims';
import { endUserKeyOwnerOf, idempotencyKeyOf } from '../domain/idempotency';
import { parseOwnNewOrder } from '../domain/order';
import { pageTokenOf, parsePageRequest } from '../domain/order-page';
import type { OrderRepository } from '../repository/order-repository';
import { placeOrder, type OrderRouteDependencies } from './place-order';
import { readOrder } from './read-order';

// The signed-in user's own orders (COGNITO_USER_POOLS, ID tokens). Whose orders they are comes only from the
// verified `sub` claim, never from the body or a header.

/** `POST /me/orders` `{items}`: an order for the caller's own customer record (customer id = `sub`). */
export function createMyOrderRoute(dependencies: OrderRouteDependencies): HttpRoute {
  return async ({ event, logger }) => {
    const { sub } = endUserOf(event);
    const key = idempotencyKeyOf(event.headers);
    const input = parseOwnNewOrder(parseJsonObjectBody(event), sub);
    return placeOrder(
      dependencies,
      {
        input,
        idempotency: key === undefined ? undefined : { key, owner: endUserKeyOwnerOf(sub) },
        createdBy: null,
        ownerSub: sub,
        locationOf: (orderId) => `/me/orders/${orderId}`,
      },
      logger,
    );
  };
}

/** `GET /me/orders?limit=&nextToken=` -> `{orders, nextToken?}`, newest first. */
export function listMyOrdersRoute(orders: OrderRepository): HttpRoute {
  return async ({ event }) => {
    const { sub } = endUserOf(event);
    const page = await orders.listByOwner(sub, parsePageRequest(event.queryStringParameters, sub));
    return jsonResponse(200, {
      orders: page.orders,
      ...(page.next === undefined ? {} : { nextToken: pageTokenOf(page.next) }),
    });
  };
}

/** `GET /me/orders/{id}`: the caller's own order; anyone else's is the same 404 as one that does not exist. */
export function getMyOrderRoute(orders: OrderRepository): HttpRoute {
  return async ({ event }) => {
    const { sub } = endUserOf(event);
    return jsonResponse(200, await readOrder(orders, event, (order) => order.ownerSub === sub));
  };
}
