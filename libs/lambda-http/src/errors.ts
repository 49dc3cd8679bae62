/**
 * An error whose message is safe to show to the caller. Handlers throw these for every expected failure;
 * anything else becomes a generic 500 (the detail goes to the log only).
 */
export class HttpError extends Error {
  public readonly statusCode: number;
  public readonly code: string;
  public readonly details?: readonly string[];

  public constructor(
    statusCode: number,
    code: string,
    message: string,
    options?: ErrorOptions & { details?: readonly string[] },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = options?.details;
  }
}

/** 400: the request itself is malformed (bad JSON, wrong types, missing fields). */
export class BadRequestError extends HttpError {
  public constructor(message: string, options?: ErrorOptions & { details?: readonly string[] }) {
    super(400, 'BadRequest', message, options);
    this.name = 'BadRequestError';
  }
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(403, 'Forbidden', message, options);
    this.name = 'ForbiddenError';
  }
}

/** 404: the addressed resource does not exist. */
export class NotFoundError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(404, 'NotFound', message, options);
    this.name = 'NotFoundError';
  }
}

/** 409: the request conflicts with the current state (e.g. a concurrent duplicate). */
export class ConflictError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(409, 'Conflict', message, options);
    this.name = 'ConflictError';
  }
}

/** 422: well-formed, but refers to something that cannot be used (e.g. an unknown customer). */
export class UnprocessableEntityError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(422, 'UnprocessableEntity', message, options);
    this.name = 'UnprocessableEntityError';
  }
}

/** 502: a service we depend on failed or refused us. */
export class BadGatewayError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(502, 'BadGateway', message, options);
    this.name = 'BadGatewayError';
  }
}

/** 503: a service we depend on is temporarily unavailable. */
export class ServiceUnavailableError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(503, 'ServiceUnavailable', message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** 504: a service we depend on did not answer in time. */
export class GatewayTimeoutError extends HttpError {
  public constructor(message: string, options?: ErrorOptions) {
    super(504, 'GatewayTimeout', message, options);
    this.name = 'GatewayTimeoutError';
  }
}
