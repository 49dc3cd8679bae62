import type { OutgoingResponse } from '../http/incoming-request';

/**
 * Maps a Lambda proxy result to the HTTP response, or undefined when it is malformed (API Gateway then
 * answers 502 and logs "Malformed Lambda proxy response").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
export function mapProxyResult(payload: unknown): OutgoingResponse | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const result = payload as Record<string, unknown>;
  const status = result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return undefined;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object') return undefined;
    for (const [name, value] of Object.entries(result.headers as Record<string, unknown>)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return undefined;
      headers[name.toLowerCase()] = String(value);
    }
  }
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (typeof result.multiValueHeaders !== 'object') return undefined;
    for (const [name, values] of Object.entries(result.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(values)) return undefined;
      headers[name.toLowerCase()] = values.map(String);
    }
  }
  const body = (result.body as string | undefined) ?? '';
  return { status, headers, body: result.isBase64Encoded === true ? Buffer.from(body, 'base64') : body };
}
