import type { IncomingMessage } from 'node:http';
import type { OutgoingRequest } from '../http/send';

/** The status line and headers as received, CRLF-terminated: what `curl -i` prints before the body. */
export function responseHead(response: IncomingMessage): string {
  const lines = [
    `HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd(),
  ];
  for (let index = 0; index < response.rawHeaders.length; index += 2)
    lines.push(`${response.rawHeaders[index]}: ${response.rawHeaders[index + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** `curl -v`'s view of a request: `> ` lines. */
export function verboseRequest(request: OutgoingRequest): string {
  const target = `${request.url.pathname}${request.url.search}`;
  const lines = [`> ${request.method} ${target} HTTP/1.1`];
  for (const [name, value] of request.headers) lines.push(`> ${name}: ${value}`);
  if (request.body !== undefined) lines.push(`> content-length: ${request.body.byteLength}`);
  return `${lines.join('\n')}\n>\n`;
}

/** `curl -v`'s view of a response head: `< ` lines. */
export function verboseResponse(response: IncomingMessage): string {
  return (
    responseHead(response)
      .trimEnd()
      .split('\r\n')
      .map((line) => `< ${line}`)
      .join('\n') + '\n<\n'
  );
}

/** Lines of a multi-line block (canonical request, string to sign) under a `* title:` line. */
export function verboseBlock(title: string, text: string): string {
  return `* ${title}:\n${text
    .split('\n')
    .map((line) => `*   ${line}`)
    .join('\n')}\n`;
}
