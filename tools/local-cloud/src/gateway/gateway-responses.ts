import { jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import type { GatewayResponse, RestApi } from './types';

/**
 * API Gateway's gateway-response types (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html):
 * every refusal the gateway itself makes is one of them, and an `AWS::ApiGateway::GatewayResponse` of that type
 * (or DEFAULT_4XX / DEFAULT_5XX) changes its status, headers and body.
 */
export const GATEWAY_RESPONSE_TYPES = [
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_PARAMETERS',
  'BAD_REQUEST_BODY',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
] as const;
export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

/** A response the gateway made itself, tagged with its type so the API's gateway responses can apply. */
export type Refusal = OutgoingResponse & { gatewayResponse: { type: GatewayResponseType; message: string } };

/** The one way the gateway refuses: AWS's body (`{"message": ...}`, or `{"Message": ...}` for IAM denials). */
export function refusal(
  type: GatewayResponseType,
  status: number,
  message: string | null,
  headers: Record<string, string> = {},
  key: 'message' | 'Message' = 'message',
): Refusal {
  return {
    ...jsonReply(status, { [key]: message }, headers),
    gatewayResponse: { type, message: message ?? '' },
  };
}

/** The API's response for `type`: its own, else DEFAULT_4XX or DEFAULT_5XX by status class. */
function responseFor(api: RestApi, type: GatewayResponseType, status: number): GatewayResponse | undefined {
  return (
    api.gatewayResponses.get(type) ?? api.gatewayResponses.get(status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX')
  );
}

/**
 * Applies the API's `AWS::ApiGateway::GatewayResponse`s to a refusal: status (StatusCode), headers
 * (`gatewayresponse.header.X` from a quoted literal or `method.request.header.Y`) and body (an
 * `application/json` template of literal text with `$context.error.message` / `$context.error.messageString`).
 */
export function applyGatewayResponses(
  api: RestApi | undefined,
  request: IncomingRequest,
  response: OutgoingResponse,
): OutgoingResponse {
  const tagged = (response as Partial<Refusal>).gatewayResponse;
  if (!api || !tagged) return response;
  const configured = responseFor(api, tagged.type, response.status);
  if (!configured) return response;
  const headers = { ...response.headers };
  for (const header of configured.headers) {
    const value = header.literal ?? request.headers[header.fromRequestHeader ?? ''];
    if (value !== undefined) headers[header.name] = value;
  }
  let body = response.body;
  if (configured.template !== undefined) {
    // One pass, with a function: the message (which can hold request text, like the path) is never re-read as a
    // template or as `$&`-style replacement patterns.
    body = configured.template.replace(/\$context\.error\.message(String)?/g, (_match, quoted?: string) =>
      quoted ? JSON.stringify(tagged.message) : tagged.message,
    );
  }
  return { status: configured.statusCode ?? response.status, headers, body };
}
