import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  ConflictError,
  jsonResponse,
  NotFoundError,
  parseJsonObjectBody,
  type HttpRoute,
} from '@sigv4-auth/lambda-http';
import { isCustomerId, parseNewCustomer, type Customer } from '../domain/customer';
import {
  CustomerAlreadyExistsError,
  CustomerChangedError,
  type CustomerRepository,
} from '../repository/customer-repository';

/** Reads and writes of one `PUT` before a concurrent writer of the same id makes it give up (409). */
const PUT_ATTEMPTS = 3;

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

/**
 * `PUT /customers/{id}`: creates the customer with that id (201, as `POST` does) or replaces its name and email
 * (200). A replacement keeps `createdAt` and `createdBy` and records `updatedAt` and `updatedBy`. Repeating a
 * `PUT` is safe (Cognito retries its PostConfirmation trigger): a `PUT` that loses a race to a concurrent one
 * reads the winner's record and replaces it.
 */
export function putCustomerRoute(repository: CustomerRepository, now = () => new Date()): HttpRoute {
  return async ({ event, caller, logger }) => {
    const id = event.pathParameters?.id;
    if (!isCustomerId(id)) throw new BadRequestError('Customer id must be a UUID');
    const input = parseNewCustomer(parseJsonObjectBody(event));
    for (let attempt = 1; attempt <= PUT_ATTEMPTS; attempt++) {
      const existing = await repository.get(id);
      const at = now().toISOString();
      try {
        if (!existing) {
          const customer: Customer = { id, ...input, createdAt: at, createdBy: caller.userArn };
          await repository.create(customer);
          logger.info('customer created', { customerId: id });
          return jsonResponse(201, customer, { location: `/customers/${id}` });
        }
        const customer: Customer = {
          id,
          ...input,
          createdAt: existing.createdAt,
          createdBy: existing.createdBy,
          updatedAt: at,
          updatedBy: caller.userArn,
        };
        await repository.replace(customer, existing.createdAt);
        logger.info('customer replaced', { customerId: id });
        return jsonResponse(200, customer);
      } catch (error) {
        if (!(error instanceof CustomerAlreadyExistsError || error instanceof CustomerChangedError))
          throw error;
        logger.info('customer written concurrently, reading it again', { customerId: id, attempt });
      }
    }
    throw new ConflictError(`Customer ${id} is being written concurrently: retry`);
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

// In its own module, so the whoami function does not bundle the DynamoDB client with the other routes.
export { whoamiRoute } from './whoami-route';
