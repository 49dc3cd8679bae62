/** Base of every error signed-fetch throws; `cause` keeps the underlying failure. */
export class SignedFetchError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignedFetchError';
  }
}

/** Options that cannot work (e.g. no region anywhere). Thrown at construction or on the first request. */
export class ConfigurationError extends SignedFetchError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** The credential provider failed. */
export class CredentialsError extends SignedFetchError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialsError';
  }
}

/** The request could not be signed (e.g. an unreadable body). */
export class SigningError extends SignedFetchError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SigningError';
  }
}

/** The overall time budget (`timeoutMs`, across retries) ran out. */
export class TimeoutError extends SignedFetchError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TimeoutError';
  }
}

/** The server could not be reached, after retries. */
export class NetworkError extends SignedFetchError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetworkError';
  }
}
