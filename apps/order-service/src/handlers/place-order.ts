import { randomUUID } from 'node:crypto';
import { jsonResponse, UnprocessableEntityError, type Logger } from '@sigv4-auth/lambda-http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { CustomerServiceClient } from '../clients/customer-service-client';
import { idempotencyRecordId, requestHashOf } from '../domain/idempotency';
import { priceItems, type NewOrder, type Order } from '../domain/order';
import { OrderAlreadyExistsError, type OrderRepository } from '../repository/order-repository';

export interface OrderRouteDependencies {
  orders: OrderRepository;
  customers: CustomerServiceClient;
  now?: () => Date;
}

/** A validated order request, whoever placed it. */
export interface PlaceOrderRequest {
  input: NewOrder;
  /** The request's `Idempotency-Key` and whose it is: a key is only ever looked up among its owner's. */
  idempotency?: { key: string; owner: string };
  createdBy: string | null;
  ownerSub?: string;
  /** The order's URL on the route that placed it (its `Location`). */
  locationOf: (orderId: string) => string;
}

/**
 * Places an order (`POST /orders`, `POST /me/orders`): the order is written only once the customer is known to
 * customer-service.
 *
 * With an `Idempotency-Key`, the first request binds the key to a random order id with a conditional put; every
 * later request with the key works on that same id. So a replay returns the same order (201,
 * `Idempotent-Replayed: true`), a concurrent duplicate loses the order's conditional put and returns the
 * winner's order, a retry after a failure (or a crash) creates the order then, and the key with another body
 * is refused (422).
 */
export async function placeOrder(
  { orders, customers, now = () => new Date() }: OrderRouteDependencies,
  { input, idempotency, createdBy, ownerSub, locationOf }: PlaceOrderRequest,
  logger: Logger,
): Promise<APIGatewayProxyResult> {
  const replayed = (order: Order) =>
    jsonResponse(201, order, { location: locationOf(order.id), 'idempotent-replayed': 'true' });
  let orderId: string = randomUUID();
  if (idempotency !== undefined) {
    const requestHash = requestHashOf(input);
    const record = await orders.claimIdempotencyKey({
      id: idempotencyRecordId(idempotency.owner, idempotency.key),
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
    createdBy,
    ...(ownerSub === undefined ? {} : { ownerSub }),
  };
  try {
    await orders.create(order);
  } catch (error) {
    // A concurrent request with the same key created it first: answer with that order.
    const winner =
      error instanceof OrderAlreadyExistsError && idempotency !== undefined
        ? await orders.get(orderId)
        : undefined;
    if (winner) return replayed(winner);
    throw error;
  }
  logger.info('order created', {
    orderId,
    customerId: customer.id,
    total,
    idempotent: idempotency !== undefined,
  });
  return jsonResponse(201, order, { location: locationOf(orderId) });
}
