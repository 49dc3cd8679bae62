import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  jsonResponse,
  NotFoundError,
  parseJsonObjectBody,
  type HttpRoute,
} from '@sigv4-auth/lambda-http';
import { isCustomerId, parseNewCustomer, type Customer } from '../domain/customer';
import type { CustomerRepository } from '../repository/customer-repository';

/** `POST /customers` */
export function createCustomerRoute(repository: CustomerRepository, now = () => new Date()): HttpRoute {
  return async ({ event, caller, logger }) => {
    const input = parseNewCustomer(parseJsonObjectBody(event));
    const customer: Customer = {
      id: randomUUID(),
      ...input,
      createdAt: now().toISOString(),
      createdBy: caller.userArn,
    };
    await repository.create(customer);
    logger.info('customer created', { customerId: customer.id });
    return jsonResponse(201, customer, { location: `/customers/${customer.id}` });
  };
}

/** `GET /customers/{id}` */
export function getCustomerRoute(repository: CustomerRepository): HttpRoute {
  return async ({ event }) => {
    const id = event.pathParameters?.id;
    if (!isCustomerId(id)) throw new BadRequestError('Customer id must be a UUID');
    const customer = await repository.get(id);
    if (!customer) throw new NotFoundError(`Customer ${id} not found`);
    return jsonResponse(200, customer);
  };
}

/** `GET /whoami`: the caller identity exactly as API Gateway passed it to the function. */
export const whoamiRoute: HttpRoute = async ({ event }) =>
  jsonResponse(200, { identity: event.requestContext.identity });
