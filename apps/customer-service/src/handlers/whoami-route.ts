import { jsonResponse, type HttpRoute } from '@sigv4-auth/lambda-http';

/** `GET /whoami`: the caller identity exactly as API Gateway passed it to the function. */
export const whoamiRoute: HttpRoute = async ({ event }) =>
  jsonResponse(200, { identity: event.requestContext.identity });
