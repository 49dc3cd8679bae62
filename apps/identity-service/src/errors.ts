/**
 * The customer record of a confirmed user could not be written. Cognito answers the app's `ConfirmSignUp` with
 * `PostConfirmation failed with error <message>`, so the message says nothing about our internals; the status
 * and the cause are for the log.
 */
export class CustomerRecordError extends Error {
  /** customer-service's HTTP status, when it answered. */
  public readonly status?: number;

  public constructor(message: string, options?: ErrorOptions & { status?: number }) {
    super(message, options);
    this.name = 'CustomerRecordError';
    this.status = options?.status;
  }
}
