import { ALGORITHM, HEADER, MESSAGES, QUERY } from './constants';
import { SigV4Error } from './errors';
import type { CredentialScope, SignedRequest } from './types';

export interface ParsedSignature {
  form: 'header' | 'query';
  scope: CredentialScope;
  terminator: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date (or the Date header) as sent. */
  amzDate: string;
  expiresSeconds?: number;
  sessionToken?: string;
}

function queryParam(query: string, name: string): string | undefined {
  for (const part of query.split('&')) {
    const equals = part.indexOf('=');
    const key = equals < 0 ? part : part.slice(0, equals);
    if (key === name) {
      try {
        return decodeURIComponent(equals < 0 ? '' : part.slice(equals + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function headersNamed(request: SignedRequest, name: string): string[] {
  return request.headers.filter(([header]) => header.toLowerCase() === name).map(([, value]) => value.trim());
}

function parseCredential(credential: string): { scope: CredentialScope; terminator: string } | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { scope: { accessKeyId, date, region, service }, terminator };
}

const incomplete = (message: string) => new SigV4Error('IncompleteSignature', message);

/** The signature parts from the Authorization header or the presigned query; throws SigV4Error. */
export function parseSignature(request: SignedRequest): ParsedSignature {
  const authorizations = headersNamed(request, HEADER.authorization);
  const queryAlgorithm = queryParam(request.query, QUERY.algorithm);
  if (authorizations.length === 0 && queryAlgorithm === undefined) {
    throw new SigV4Error('MissingAuthenticationToken', MESSAGES.missingToken);
  }
  if (authorizations.length > 1) throw incomplete('Only one Authorization header may be sent.');
  if (authorizations.length === 1) return parseHeaderForm(request, authorizations[0] as string);
  return parseQueryForm(request, queryAlgorithm as string);
}

function parseHeaderForm(request: SignedRequest, authorization: string): ParsedSignature {
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incomplete(
      `Authorization header requires the algorithm ${ALGORITHM}. Authorization=${authorization}`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw incomplete(
      `${missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')} Authorization=${authorization}`,
    );
  }
  const credential = parseCredential(fields.get('Credential') as string);
  if (!credential)
    throw incomplete(`Authorization header has a malformed Credential. Authorization=${authorization}`);
  const amzDate = headersNamed(request, HEADER.date)[0] ?? headersNamed(request, HEADER.httpDate)[0];
  if (!amzDate) {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const tokens = headersNamed(request, HEADER.securityToken);
  return {
    form: 'header',
    ...credential,
    signedHeaders: (fields.get('SignedHeaders') as string).split(';'),
    signature: fields.get('Signature') as string,
    amzDate,
    sessionToken: tokens.length > 0 ? tokens.join(',') : undefined,
  };
}

function parseQueryForm(request: SignedRequest, algorithm: string): ParsedSignature {
  if (algorithm !== ALGORITHM) throw incomplete(`X-Amz-Algorithm only supports ${ALGORITHM}`);
  const get = (name: string) => queryParam(request.query, name);
  const missing = [QUERY.credential, QUERY.date, QUERY.signedHeaders, QUERY.signature, QUERY.expires].filter(
    (name) => !get(name),
  );
  if (missing.length > 0) {
    throw incomplete(
      `AWS query-string parameters must include ${missing.map((name) => `'${name}'`).join(', ')}.`,
    );
  }
  const credential = parseCredential(get(QUERY.credential) as string);
  if (!credential) throw incomplete('X-Amz-Credential is malformed.');
  const expires = Number(get(QUERY.expires));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
    throw incomplete('X-Amz-Expires must be an integer between 1 and 604800 seconds.');
  }
  return {
    form: 'query',
    ...credential,
    signedHeaders: (get(QUERY.signedHeaders) as string).split(';'),
    signature: get(QUERY.signature) as string,
    amzDate: get(QUERY.date) as string,
    expiresSeconds: expires,
    sessionToken: get(QUERY.securityToken),
  };
}

/** Credential scope of a request without verifying anything: used to route it to a service. */
export function readCredentialScope(request: SignedRequest): CredentialScope | undefined {
  try {
    return parseSignature(request).scope;
  } catch {
    return undefined;
  }
}
