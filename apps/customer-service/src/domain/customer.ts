import { InputValidator } from '@sigv4-auth/lambda-http';

export interface Customer {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  /** The IAM principal that created it, as API Gateway verified it. */
  createdBy: string | null;
  /** Set when `PUT /customers/{id}` replaced it (a create leaves both out). */
  updatedAt?: string;
  updatedBy?: string | null;
}

export interface NewCustomer {
  name: string;
  email: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CUSTOMER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Validates a `POST /customers` or `PUT /customers/{id}` body; a 400 lists every problem. */
export function parseNewCustomer(body: Record<string, unknown>): NewCustomer {
  const check = new InputValidator(body, 'body');
  const name = check.string('name', { maxLength: 200 });
  const email = check.string('email', { maxLength: 254, pattern: EMAIL, patternHint: 'an email address' });
  check.onlyKnownKeys(['name', 'email']);
  check.throwIfInvalid();
  return { name, email: email.toLowerCase() };
}

/** Customer ids are UUIDs; anything else is a client error, not a lookup. */
export function isCustomerId(value: string | undefined): value is string {
  return value !== undefined && CUSTOMER_ID.test(value);
}
