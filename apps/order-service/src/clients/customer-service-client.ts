import {
  BadGatewayError,
  GatewayTimeoutError,
  ServiceUnavailableError,
  type Logger,
} from '@sigv4-auth/lambda-http';
import { TimeoutError } from '@sigv4-auth/signed-fetch';
import type { CustomerSnapshot } from '../domain/order';

/** `fetch`'s signature; in production a SigV4-signing fetch (`createSignedFetch`). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function isCustomerSnapshot(value: unknown): value is CustomerSnapshot {
  const candidate = value as Partial<CustomerSnapshot> | null;
  return (
    typeof candidate?.id === 'string' &&
    typeof candidate.name === 'string' &&
    typeof candidate.email === 'string'
  );
}

/**
 * customer-service's `GET /customers/{id}` over IAM-signed HTTP. Every failure of the dependency becomes
 * an answer a caller of order-service can act on (502/503/504); the detail (status, body) goes to the log only.
 */
export class CustomerServiceClient {
  private readonly baseUrl: string;

  public constructor(
    baseUrl: string,
    private readonly fetch: FetchFunction,
  ) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  /** The customer, or `undefined` when customer-service says it does not exist. */
  public async getCustomer(id: string, logger: Logger): Promise<CustomerSnapshot | undefined> {
    const url = new URL(`customers/${encodeURIComponent(id)}`, this.baseUrl);
    let response: Response;
    try {
      response = await this.fetch(url, { method: 'GET', headers: { accept: 'application/json' } });
    } catch (error) {
      logger.error('customer-service call failed', { url: url.href, error });
      if (error instanceof TimeoutError) {
        throw new GatewayTimeoutError('customer-service did not answer in time', { cause: error });
      }
      throw new BadGatewayError('customer-service could not be reached', { cause: error });
    }
    if (response.status === 404) return undefined;
    const body = await response.text();
    if (response.status === 200) {
      const customer = parseJson(body);
      if (isCustomerSnapshot(customer))
        return { id: customer.id, name: customer.name, email: customer.email };
      // Not the body itself: it may hold a customer's personal data.
      logger.error('customer-service answered an unexpected body', { url: url.href, bodyBytes: body.length });
      throw new BadGatewayError('customer-service answered an unexpected body');
    }
    // What an operator needs to fix a refused signature or policy: the status, API Gateway's error type and the
    // first line of its message (which names our role and the resource ARN). Never the rest: a
    // SignatureDoesNotMatch message goes on to quote the canonical request, session token included.
    logger.error('customer-service refused the request', {
      url: url.href,
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype') ?? undefined,
      reason: firstLineOfMessage(body),
    });
    if (response.status === 403) {
      throw new BadGatewayError(
        'customer-service refused our credentials (403): check the order-service role policy and the customer-service resource policy',
      );
    }
    // After signed-fetch's retries of this idempotent GET: say what a caller of order-service can do about it.
    if (response.status === 504) throw new GatewayTimeoutError('customer-service timed out (504)');
    if (response.status === 503 || response.status === 429)
      throw new ServiceUnavailableError(`customer-service is unavailable (${response.status}): retry later`);
    if (response.status >= 500)
      throw new BadGatewayError(`customer-service failed with status ${response.status}`);
    throw new BadGatewayError(`customer-service rejected the request with status ${response.status}`);
  }
}

/** The first line of an error body's `message` (`Message` for API Gateway's AccessDenied), at most 300 characters. */
function firstLineOfMessage(body: string): string | undefined {
  const parsed = parseJson(body) as { message?: unknown; Message?: unknown } | undefined;
  const message = parsed?.message ?? parsed?.Message;
  if (typeof message !== 'string') return undefined;
  // Some refusals echo the Authorization header: its signature stays out of the log.
  return message
    .split('\n', 1)[0]
    ?.slice(0, 300)
    .replace(/Signature=[0-9a-fA-F]+/g, 'Signature=…');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
