import type { APIGatewayProxyResult } from 'aws-lambda';
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
import { idempotencyKeyOf, orderIdFor, requestHashOf } from '../domain/idempotency';
import { isOrderId, parseNewOrder, priceItems, type Order } from '../domain/order';
import { OrderAlreadyExistsError, type OrderRepository } from '../repository/order-repository';

export interface OrderRouteDependencies {
  orders: OrderRepository;
  customers: CustomerServiceClient;
  now?: () => Date;
}

/**
 * `POST /orders`: the order is written only once the customer is known to customer-service. With an
 * `Idempotency-Key`, the order id comes from caller and key: a replay returns the same order (201,
 * `Idempotent-Replayed: true`), a concurrent duplicate loses the conditional put and returns it too, and the
 * same key with another body is refused (422).
 */
export function createOrderRoute({
  orders,
  customers,
  now = () => new Date(),
}: OrderRouteDependencies): HttpRoute {
  return async ({ event, caller, logger }) => {
    const key = idempotencyKeyOf(event.headers);
    const input = parseNewOrder(parseJsonObjectBody(event));
    const idempotency =
      key === undefined
        ? undefined
        : { orderId: orderIdFor(caller.userArn ?? 'anonymous', key), requestHash: requestHashOf(input) };
    if (idempotency) {
      const replay = await replayOf(orders, idempotency);
      if (replay) return replay;
    }
    const customer = await customers.getCustomer(input.customerId, logger);
    if (!customer) throw new UnprocessableEntityError(`Customer ${input.customerId} does not exist`);
    const { items, total } = priceItems(input.items);
    const order: Order = {
      id: idempotency?.orderId ?? randomUUID(),
      customerId: customer.id,
      customer,
      items,
      total,
      createdAt: now().toISOString(),
      createdBy: caller.userArn,
    };
    try {
      await orders.create(order, idempotency?.requestHash);
    } catch (error) {
      // A concurrent request with the same key won the conditional put: answer with its order.
      const replay =
        error instanceof OrderAlreadyExistsError && idempotency
          ? await replayOf(orders, idempotency)
          : undefined;
      if (replay) return replay;
      throw error;
    }
    logger.info('order created', {
      orderId: order.id,
      customerId: customer.id,
      total,
      idempotent: key !== undefined,
    });
    return jsonResponse(201, order, { location: `/orders/${order.id}` });
  };
}

/** The answer to a key already used: its order again, or 422 when it was used for another request. */
async function replayOf(
  orders: OrderRepository,
  { orderId, requestHash }: { orderId: string; requestHash: string },
): Promise<APIGatewayProxyResult | undefined> {
  const stored = await orders.getStored(orderId);
  if (!stored) return undefined;
  if (stored.requestHash !== requestHash)
    throw new UnprocessableEntityError('Idempotency-Key was already used for a different request');
  return jsonResponse(201, stored.order, { location: `/orders/${orderId}`, 'idempotent-replayed': 'true' });
}

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
