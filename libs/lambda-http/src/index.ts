export { callerIdentityOf, type CallerIdentity } from './caller-identity';
export {
  BadGatewayError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GatewayTimeoutError,
  HttpError,
  NotFoundError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from './errors';
export {
  httpHandler,
  jsonResponse,
  type HttpHandlerOptions,
  type HttpRequest,
  type HttpRoute,
  type ProxyHandler,
} from './http-handler';
export { parseJsonObjectBody } from './json-body';
export { createLogger, type LogFields, type Logger, type LoggerOptions } from './logger';
export { sourceMappedStack } from './source-mapped-stack';
export { InputValidator } from './validation';
