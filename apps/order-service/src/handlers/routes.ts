import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  jsonResponse,
  NotFoundError,
  parseJsonObjectBody,
  UnprocessableEntityError,
  type HttpRoute,
} from '@sigv4-auth/lambda-http';
import type { CustomerServiceClient } from '../clients/customer-service-client';
import { idempotencyKeyOf, idempotencyRecordId, keyOwnerOf, requestHashOf } from '../domain/idempotency';
import { isOrderId, parseNewOrder, priceItems, type Order } from '../domain/order';
import { OrderAlreadyExistsError, type OrderRepository } from '../repository/order-repository';

export interface OrderRouteDependencies {
  orders: OrderRepository;
  customers: CustomerServiceClient;
  now?: () => Date;
}

/**
 * `POST /orders`: the order is written only once the customer is known to customer-service.
 *
 * With an `Idempotency-Key` (per IAM principal), the first request binds the key to a random order id with a
 * conditional put; every later request with the key works on that same id. So a replay returns the same order
 * (201, `Idempotent-Replayed: true`), a concurrent duplicate loses the order's conditional put and returns the
 * winner's order, a retry after a failure (or a crash) creates the order then, and the key with another body
 * is refused (422).
 */
export function createOrderRoute({
  orders,
  customers,
  now = () => new Date(),
}: OrderRouteDependencies): HttpRoute {
  return async ({ event, caller, logger }) => {
    const key = idempotencyKeyOf(event.headers);
    const input = parseNewOrder(parseJsonObjectBody(event));
    let orderId: string = randomUUID();
    if (key !== undefined) {
      if (!caller.userArn) throw new BadRequestError('Idempotency-Key needs a signed (IAM) caller');
      const requestHash = requestHashOf(input);
      const record = await orders.claimIdempotencyKey({
        id: idempotencyRecordId(keyOwnerOf(caller.userArn), key),
        orderId,
        requestHash,
        createdAt: now().toISOString(),
      });
      if (record.requestHash !== requestHash)
        throw new UnprocessableEntityError('Idempotency-Key was already used for a different request');
      // Bound by an earlier request (a replay, a duplicate, or an attempt that failed or crashed): its order,
      // if it was written. A key just bound here has a fresh random id: nothing to look up.
      if (record.orderId !== orderId) {
        orderId = record.orderId;
        const existing = await orders.get(orderId);
        if (existing) return replayed(existing);
      }
    }
    const customer = await customers.getCustomer(input.customerId, logger);
    if (!customer) throw new UnprocessableEntityError(`Customer ${input.customerId} does not exist`);
    const { items, total } = priceItems(input.items);
    const order: Order = {
      id: orderId,
      customerId: customer.id,
      customer,
      items,
      total,
      createdAt: now().toISOString(),
      createdBy: caller.userArn,
    };
    try {
      await orders.create(order);
    } catch (error) {
      // A concurrent request with the same key created it first: answer with that order.
      const winner =
        error instanceof OrderAlreadyExistsError && key !== undefined ? await orders.get(orderId) : undefined;
      if (winner) return replayed(winner);
      throw error;
    }
    logger.info('order created', { orderId, customerId: customer.id, total, idempotent: key !== undefined });
    return jsonResponse(201, order, { location: `/orders/${orderId}` });
  };
}

const replayed = (order: Order) =>
  jsonResponse(201, order, { location: `/orders/${order.id}`, 'idempotent-replayed': 'true' });

/** `GET /orders/{id}` */
export function getOrderRoute(orders: OrderRepository): HttpRoute {
  return async ({ event }) => {
    const id = event.pathParameters?.id;
    if (!isOrderId(id)) throw new BadRequestError('Order id must be a UUID');
    const order = await orders.get(id);
    if (!order) throw new NotFoundError(`Order ${id} not found`);
    return jsonResponse(200, order);
  };
}
