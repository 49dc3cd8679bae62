import type { IncomingRequest, OutgoingResponse } from '../http/incoming-request';
import { loggableMessage } from './decision';

/**
 * The error code and message of a refusal, as the caller's SDK reads them: `x-amzn-errortype` or a JSON body's
 * `__type` and `message`, or a Query-protocol XML body's `<Code>` and `<Message>`. The message's first line only,
 * signatures cut out: a SigV4 message goes on with the canonical request, whose signed headers can hold a session
 * token.
 */
export function errorOf(response: OutgoingResponse): { code: string; message: string } {
  const body = (typeof response.body === 'string' ? response.body : response.body.toString('utf8')).slice(
    0,
    8192,
  );
  let code: string | undefined;
  let message = '';
  const xml = /<Code>([^<]{1,128})<\/Code>/.exec(body);
  if (xml) {
    code = xml[1];
    message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '';
  } else {
    try {
      const parsed = JSON.parse(body) as { __type?: unknown; message?: unknown; Message?: unknown };
      if (typeof parsed.__type === 'string') code = parsed.__type.slice(parsed.__type.lastIndexOf('#') + 1);
      const text = parsed.message ?? parsed.Message;
      if (typeof text === 'string') message = text;
    } catch {
      // Not JSON.
    }
  }
  const header = response.headers['x-amzn-errortype'];
  if (typeof header === 'string') code = header.split(':')[0];
  return { code: code ?? `HTTP ${response.status}`, message: loggableMessage(message) };
}

/** The operation a request asked for: its X-Amz-Target, a Query-protocol Action, else its method and path. */
export function actionOf(request: IncomingRequest): string {
  const target = request.headers['x-amz-target'];
  if (target) return target.slice(target.indexOf('.') + 1).slice(0, 128);
  const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
    ? request.body.toString('utf8')
    : '';
  const action =
    new URLSearchParams(request.rawQuery).get('Action') ?? new URLSearchParams(form).get('Action');
  if (action) return action.slice(0, 128);
  return `${request.method} ${request.rawPath.slice(0, 256)}`;
}
