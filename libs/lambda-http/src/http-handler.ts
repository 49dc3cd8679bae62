import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerIdentityOf, type CallerIdentity } from './caller-identity';
import { HttpError } from './errors';
import type { Logger } from './logger';

export interface HttpRequest {
  event: APIGatewayProxyEvent;
  caller: CallerIdentity;
  /** Carries the request id and the caller's `userArn` on every line. */
  logger: Logger;
}

export type HttpRoute = (request: HttpRequest) => Promise<APIGatewayProxyResult>;

export type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<APIGatewayProxyResult>;

/** A JSON response with the content type set. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function errorResponse(error: HttpError): APIGatewayProxyResult {
  return jsonResponse(error.statusCode, {
    error: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
  });
}

export interface HttpHandlerOptions {
  /** Headers every answer carries, errors included (e.g. `access-control-allow-origin` for browser routes). */
  responseHeaders?: Record<string, string>;
}

/**
 * Wraps a route as a Lambda proxy handler: a logger bound to the request and the verified caller,
 * `HttpError`s answered with their status and message, anything else a 500 that leaks nothing
 * (the full error is logged).
 *
 * @example
 * export const handler = httpHandler(logger, async ({ event, caller }) => jsonResponse(200, caller));
 */
export function httpHandler(
  logger: Logger,
  route: HttpRoute,
  options: HttpHandlerOptions = {},
): ProxyHandler {
  const withHeaders = (response: APIGatewayProxyResult): APIGatewayProxyResult =>
    options.responseHeaders
      ? { ...response, headers: { ...response.headers, ...options.responseHeaders } }
      : response;
  const answer = handle(logger, route);
  return async (event, context) => withHeaders(await answer(event, context));
}

function handle(logger: Logger, route: HttpRoute): ProxyHandler {
  return async (event, context) => {
    const caller = callerIdentityOf(event);
    const requestLogger = logger.child({
      requestId: context.awsRequestId,
      apiRequestId: event.requestContext?.requestId,
      userArn: caller.userArn,
      route: `${event.httpMethod} ${event.resource}`,
    });
    try {
      const response = await route({ event, caller, logger: requestLogger });
      requestLogger.info('request handled', { statusCode: response.statusCode });
      return response;
    } catch (error) {
      if (error instanceof HttpError) {
        const log = error.statusCode >= 500 ? requestLogger.error : requestLogger.warn;
        log('request refused', { statusCode: error.statusCode, error });
        return errorResponse(error);
      }
      requestLogger.error('unexpected failure', { error });
      return jsonResponse(500, { error: 'InternalServerError', message: 'Internal server error' });
    }
  };
}
