import type { IncomingRequest, OutgoingResponse } from './incoming-request';
import { xmlElements, xmlEscape } from './xml';

/**
 * The AWS Query protocol (STS, CloudFormation): form-encoded `Action=...&Version=...` in the body (or the
 * query string), XML answers. https://docs.aws.amazon.com/STS/latest/APIReference/CommonParameters.html
 */
export function queryParameters(request: IncomingRequest): URLSearchParams {
  const fromBody = request.method === 'POST' ? request.body.toString('utf8') : '';
  const params = new URLSearchParams(request.rawQuery);
  for (const [key, value] of new URLSearchParams(fromBody)) params.append(key, value);
  return params;
}

export function xmlResult(
  namespace: string,
  action: string,
  result: Record<string, unknown>,
  requestId: string,
): OutgoingResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<${action}Response xmlns="${namespace}">` +
      `<${action}Result>${xmlElements(result)}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
      `</${action}Response>`,
  };
}

/** AWS's Query error document: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function xmlError(
  namespace: string,
  status: number,
  code: string,
  message: string,
  requestId: string,
): OutgoingResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<ErrorResponse xmlns="${namespace}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
      `<Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
