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
import { isOrderId, parseNewOrder, priceItems, type Order } from '../domain/order';
import type { OrderRepository } from '../repository/order-repository';

export interface OrderRouteDependencies {
  orders: OrderRepository;
  customers: CustomerServiceClient;
  now?: () => Date;
}

/** `POST /orders`: the order is written only once the customer is known to customer-service. */
export function createOrderRoute({
  orders,
  customers,
  now = () => new Date(),
}: OrderRouteDependencies): HttpRoute {
  return async ({ event, caller, logger }) => {
    const input = parseNewOrder(parseJsonObjectBody(event));
    const customer = await customers.getCustomer(input.customerId, logger);
    if (!customer) throw new UnprocessableEntityError(`Customer ${input.customerId} does not exist`);
    const { items, total } = priceItems(input.items);
    const order: Order = {
      id: randomUUID(),
      customerId: customer.id,
      customer,
      items,
      total,
      createdAt: now().toISOString(),
      createdBy: caller.userArn,
    };
    await orders.create(order);
    logger.info('order created', { orderId: order.id, customerId: customer.id, total });
    return jsonResponse(201, order, { location: `/orders/${order.id}` });
  };
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
