import { InputValidator } from '@sigv4-auth/lambda-http';

/** Money is always integer cents: no floating-point rounding anywhere. */
export type Cents = number;

export interface OrderItem {
  sku: string;
  quantity: number;
  unitPrice: Cents;
  lineTotal: Cents;
}

/** The customer as customer-service returned it when the order was placed. */
export interface CustomerSnapshot {
  id: string;
  name: string;
  email: string;
}

export interface Order {
  id: string;
  customerId: string;
  customer: CustomerSnapshot;
  items: OrderItem[];
  total: Cents;
  createdAt: string;
  /** The IAM principal that placed it (`POST /orders`); null for an end user's order. */
  createdBy: string | null;
  /** The end user who owns it (the verified `sub`), when placed through `POST /me/orders`. */
  ownerSub?: string;
  /** `cancelled` once staff cancelled it (`DELETE /admin/orders/{id}`): kept, never deleted. Absent: placed. */
  status?: 'cancelled';
  /** The staff member (their IdP `sub`) who cancelled it, and when. */
  cancelledBy?: string;
  cancelledAt?: string;
}

export interface NewOrder {
  customerId: string;
  items: Omit<OrderItem, 'lineTotal'>[];
}

export const ORDER_LIMITS = {
  maxItems: 100,
  maxQuantity: 10_000,
  /** 1,000,000.00 in cents. */
  maxUnitPrice: 100_000_000,
} as const;

const SKU = /^[A-Za-z0-9._-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Validates a `POST /orders` body; a 400 lists every problem. */
export function parseNewOrder(body: Record<string, unknown>): NewOrder {
  const check = new InputValidator(body, 'body');
  const customerId = check.string('customerId', {
    maxLength: 36,
    pattern: UUID,
    patternHint: 'a customer id (UUID)',
  });
  const items = parseItems(check);
  check.onlyKnownKeys(['customerId', 'items']);
  check.throwIfInvalid();
  return { customerId, items };
}

/**
 * Validates a `POST /me/orders` body, `{items}`: the customer is the caller's own record, `customerId` the
 * verified `sub`, never a field of the body (a body naming a customer is refused, not ignored).
 */
export function parseOwnNewOrder(body: Record<string, unknown>, ownerSub: string): NewOrder {
  const check = new InputValidator(body, 'body');
  const items = parseItems(check);
  check.onlyKnownKeys(['items']);
  check.throwIfInvalid();
  return { customerId: ownerSub, items };
}

/** `body.items`: problems go to `check`, which the caller throws. */
function parseItems(check: InputValidator): NewOrder['items'] {
  const rawItems = check.array('items', { minItems: 1, maxItems: ORDER_LIMITS.maxItems });
  return rawItems.map((raw, index) => {
    const item = check.object(raw, `body.items[${index}]`);
    if (!item) return { sku: '', quantity: 0, unitPrice: 0 };
    const parsed = {
      sku: item.string('sku', {
        maxLength: 64,
        pattern: SKU,
        patternHint: 'letters, digits, ".", "_" or "-"',
      }),
      quantity: item.integer('quantity', { min: 1, max: ORDER_LIMITS.maxQuantity }),
      unitPrice: item.integer('unitPrice', { min: 0, max: ORDER_LIMITS.maxUnitPrice }),
    };
    item.onlyKnownKeys(['sku', 'quantity', 'unitPrice']);
    return parsed;
  });
}

/** Line totals and the order total, in cents (bounded by ORDER_LIMITS, so always a safe integer). */
export function priceItems(items: NewOrder['items']): { items: OrderItem[]; total: Cents } {
  const priced = items.map((item) => ({ ...item, lineTotal: item.quantity * item.unitPrice }));
  return { items: priced, total: priced.reduce((sum, item) => sum + item.lineTotal, 0) };
}

export function isOrderId(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}
