import { BadRequestError, NotFoundError } from '@sigv4-auth/lambda-http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isOrderId, type Order } from '../domain/order';
import type { OrderRepository } from '../repository/order-repository';

/**
 * The order of the `{id}` path parameter, if `visible` to the caller. One 404 for an order that does not exist
 * and one the caller may not see, so ids cannot be probed.
 */
export async function readOrder(
  orders: OrderRepository,
  event: APIGatewayProxyEvent,
  visible: (order: Order) => boolean = () => true,
): Promise<Order> {
  const id = event.pathParameters?.id;
  if (!isOrderId(id)) throw new BadRequestError('Order id must be a UUID');
  const order = await orders.get(id);
  if (!order || !visible(order)) throw new NotFoundError(`Order ${id} not found`);
  return order;
}
