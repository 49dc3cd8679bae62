import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SigV4Vector {
  name: string;
  context: {
    credentials: { access_key_id: string; secret_access_key: string; token?: string };
    region: string;
    service: string;
    timestamp: string;
    normalize: boolean;
    sign_body: boolean;
    omit_session_token?: boolean;
  };
  /** The request before signing. */
  request: ParsedHttpRequest;
  headerSigned: ParsedHttpRequest;
  querySigned: ParsedHttpRequest;
  headerCanonicalRequest: string;
  headerSignature: string;
  querySignature: string;
}

export interface ParsedHttpRequest {
  method: string;
  /** Path as written in the request line (raw characters, not encoded). */
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: string;
}

/** Where AWS's SigV4 test suite lives: `../shared/sigv4-testsuite/v4` beside the repo, or SIGV4_TESTSUITE_DIR. */
export function sigv4TestSuiteDir(): string {
  return process.env.SIGV4_TESTSUITE_DIR ?? path.resolve(__dirname, '../../../../shared/sigv4-testsuite/v4');
}

/**
 * Parses a request file of the suite: the request line is split on its LAST space (paths may hold spaces),
 * folded header lines (leading whitespace) continue the previous header.
 */
export function parseHttpRequest(text: string): ParsedHttpRequest {
  const [head, ...bodyParts] = text.split('\n\n');
  const lines = (head ?? '').split('\n');
  const requestLine = lines.shift() ?? '';
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' '));
  const queryStart = target.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^\s/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1] as [string, string];
      last[1] = `${last[1]}\n${line}`;
    } else if (line.includes(':')) {
      headers.push([line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]);
    }
  }
  return {
    method,
    path: queryStart < 0 ? target : target.slice(0, queryStart),
    query: queryStart < 0 ? '' : target.slice(queryStart + 1),
    headers,
    body: bodyParts.join('\n\n'),
  };
}

/** Every case of the suite; throws (failing the test) when the suite is missing. */
export function loadSigV4TestVectors(): SigV4Vector[] {
  const dir = sigv4TestSuiteDir();
  if (!existsSync(dir)) {
    throw new Error(`AWS SigV4 test suite not found at ${dir}: set SIGV4_TESTSUITE_DIR (see README)`);
  }
  const read = (name: string, file: string) => readFileSync(path.join(dir, name, file), 'utf8');
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'context.json')))
    .map((name) => ({
      name,
      context: JSON.parse(read(name, 'context.json')),
      request: parseHttpRequest(read(name, 'request.txt')),
      headerSigned: parseHttpRequest(read(name, 'header-signed-request.txt')),
      querySigned: parseHttpRequest(read(name, 'query-signed-request.txt')),
      headerCanonicalRequest: read(name, 'header-canonical-request.txt'),
      headerSignature: read(name, 'header-signature.txt').trim(),
      querySignature: read(name, 'query-signature.txt').trim(),
    }));
}
