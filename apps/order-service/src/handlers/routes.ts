import { BadRequestError, jsonResponse, parseJsonObjectBody, type HttpRoute } from '@sigv4-auth/lambda-http';
import { idempotencyKeyOf, keyOwnerOf } from '../domain/idempotency';
import { parseNewOrder } from '../domain/order';
import type { OrderRepository } from '../repository/order-repository';
import { placeOrder, type OrderRouteDependencies, type PlaceOrderRequest } from './place-order';
import { readOrder } from './read-order';

export type { OrderRouteDependencies } from './place-order';

/**
 * `POST /orders` (AWS_IAM): an order for any customer, placed by a signed caller. An `Idempotency-Key` belongs
 * to the IAM principal (see `keyOwnerOf`).
 */
export function createOrderRoute(dependencies: OrderRouteDependencies): HttpRoute {
  return async ({ event, caller, logger }) => {
    const key = idempotencyKeyOf(event.headers);
    const input = parseNewOrder(parseJsonObjectBody(event));
    let idempotency: PlaceOrderRequest['idempotency'];
    if (key !== undefined) {
      if (!caller.userArn) throw new BadRequestError('Idempotency-Key needs a signed (IAM) caller');
      idempotency = { key, owner: keyOwnerOf(caller.userArn) };
    }
    return placeOrder(
      dependencies,
      {
        input,
        idempotency,
        createdBy: caller.userArn,
        locationOf: (orderId) => `/orders/${orderId}`,
      },
      logger,
    );
  };
}

/** `GET /orders/{id}` (AWS_IAM): any order. */
export function getOrderRoute(orders: OrderRepository): HttpRoute {
  return async ({ event }) => jsonResponse(200, await readOrder(orders, event));
}
