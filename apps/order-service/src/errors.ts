/**
 * A route reached without the verified claims it relies on: the gateway's authorizer is missing or not the one
 * the route needs (a deploy or template mistake, never the caller's). Not an `HttpError`, so the caller gets a
 * generic 500 and the log gets this message: the route never goes on without an identity.
 */
export class MissingVerifiedClaimsError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MissingVerifiedClaimsError';
  }
}
