import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CliError, ExitCode, type ExitCodeValue } from '../cli/exit-codes';

export interface OutgoingRequest {
  url: URL;
  method: string;
  /** Sent as given, in this order (the signed ones included). */
  headers: Array<[string, string]>;
  body?: Uint8Array;
}

const TLS_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/** curl's exit code for a failed connection or transfer. */
export function transportExitCode(error: NodeJS.ErrnoException): ExitCodeValue {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return ExitCode.timeout;
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return ExitCode.couldNotResolveHost;
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT'].includes(code))
    return ExitCode.couldNotConnect;
  if (TLS_ERRORS.test(code)) return ExitCode.tlsError;
  return ExitCode.receiveError;
}

/**
 * Connections for one command. Keep-alive as curl (no `Connection: close`, so servers answer the same headers
 * as they answer curl); `destroy()` when done so the process can exit.
 */
export function connectionsFor(url: URL): HttpAgent {
  return url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
}

/**
 * One HTTP exchange with node's http client (not fetch): the response keeps the status text and the raw
 * header names and order, which `-i` and `-v` print exactly as curl does. `signal` aborts it (`--max-time`).
 */
export function send(
  request: OutgoingRequest,
  agent: HttpAgent,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  const { url } = request;
  const headers = [...request.headers];
  if (request.body !== undefined) headers.push(['content-length', String(request.body.byteLength)]);
  const issue = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = issue(url, {
      method: request.method,
      // A flat [name, value, name, value...] list keeps names as given and their order.
      headers: headers.flat(),
      signal,
      agent,
    });
    outgoing.once('response', resolve);
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      const exitCode = transportExitCode(error);
      const what =
        exitCode === ExitCode.timeout
          ? 'Operation timed out'
          : exitCode === ExitCode.couldNotResolveHost
            ? `Could not resolve host: ${url.hostname}`
            : exitCode === ExitCode.couldNotConnect
              ? `Failed to connect to ${url.hostname} port ${url.port || (url.protocol === 'https:' ? 443 : 80)}: ${error.code ?? error.message}`
              : `${error.code ?? 'Error'}: ${error.message}`;
      reject(new CliError(what, exitCode, { cause: error }));
    });
    outgoing.end(request.body);
  });
}
