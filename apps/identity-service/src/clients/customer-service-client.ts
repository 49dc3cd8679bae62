import type { Logger } from '@sigv4-auth/lambda-http';
import type { SignedFetch } from '@sigv4-auth/signed-fetch';
import type { CustomerRecord } from '../domain/customer-record';
import { CustomerRecordError } from '../errors';

/** How `PUT /customers/{id}` went: customer-service answers 201 for a new customer, 200 for a replaced one. */
export type PutOutcome = 'created' | 'replaced';

/** customer-service's `PUT /customers/{id}` over IAM-signed HTTP. */
export class CustomerServiceClient {
  private readonly baseUrl: string;

  public constructor(
    baseUrl: string,
    private readonly fetch: SignedFetch,
  ) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  /**
   * Creates or replaces the customer (a repeated call is harmless: Cognito retries triggers). Throws
   * `CustomerRecordError` unless customer-service answers 2xx.
   */
  public async putCustomer(customer: CustomerRecord, logger: Logger): Promise<PutOutcome> {
    const url = new URL(`customers/${encodeURIComponent(customer.id)}`, this.baseUrl);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ name: customer.name, email: customer.email }),
      });
    } catch (error) {
      logger.error('customer-service call failed', { url: url.href, error });
      throw new CustomerRecordError('The customer record could not be created', { cause: error });
    }
    // Not read further: a body may hold the customer's personal data, and a SignatureDoesNotMatch refusal quotes
    // the canonical request, session token included.
    await response.body?.cancel();
    if (response.ok) return response.status === 201 ? 'created' : 'replaced';
    // What an operator needs to find the refusal: API Gateway's error type names an IAM or signature refusal,
    // and its request id finds the request in customer-service's access and function logs.
    logger.error('customer-service refused the customer record', {
      url: url.href,
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype') ?? undefined,
      apiRequestId: response.headers.get('x-amzn-requestid') ?? undefined,
    });
    throw new CustomerRecordError('The customer record could not be created', { status: response.status });
  }
}
