import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as a JSON object, or a 400 that says what is wrong with it: missing, not UTF-8,
 * not JSON, or not an object.
 */
export function parseJsonObjectBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
): Record<string, unknown> {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new BadRequestError('Request body is required and must be a JSON object');
  }
  let text = event.body;
  if (event.isBase64Encoded) {
    try {
      text = utf8.decode(Buffer.from(event.body, 'base64'));
    } catch (error) {
      throw new BadRequestError('Request body must be UTF-8 encoded JSON', { cause: error });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError('Request body is not valid JSON', { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadRequestError('Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
