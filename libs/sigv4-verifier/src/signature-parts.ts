import { parseAuthorizationHeader } from './authorization-header';
import { headerText, type HeaderIndex } from './canonical-headers';
import { AUTHORIZATION_PARAMETER, HEADER, MESSAGE, QUERY } from './constants';
import {
  IncompleteSignatureError,
  MissingAuthenticationTokenError,
  SignatureDoesNotMatchError,
} from './errors';
import { decodedParams, type QueryParam } from './query-params';

/** What a request says about its own signature, before anything is checked. */
export interface SignatureParts {
  form: 'header' | 'query';
  algorithm: string;
  credential: string;
  /** Semicolon-separated, as sent. */
  signedHeaders: string;
  signature: string;
  /** X-Amz-Date (header or parameter), else the Date header. */
  requestDateText: string;
  /** Only the Date header may hold an HTTP date instead of ISO-8601 basic format. */
  dateFromHttpDateHeader: boolean;
  /** X-Amz-Expires of a presigned URL, as sent. */
  expires?: string;
  sessionToken?: string;
}

const AMZ_PREFIX = 'X-Amz-';
const BLANK = /^[ \t\r\n]*$/;
const REQUIRED_HEADER_PARAMETERS = [
  AUTHORIZATION_PARAMETER.credential,
  AUTHORIZATION_PARAMETER.signature,
  AUTHORIZATION_PARAMETER.signedHeaders,
];
// The order AWS lists them in (mhart/kinesalite index.js).
const REQUIRED_QUERY_PARAMETERS = [
  QUERY.algorithm,
  QUERY.credential,
  QUERY.signature,
  QUERY.signedHeaders,
  QUERY.date,
];
const SINGLE_QUERY_PARAMETERS = Object.values(QUERY);

/** The non-blank Authorization header values. */
export function authorizationHeaders(headers: HeaderIndex): string[] {
  return (headers.get(HEADER.authorization) ?? []).filter((value) => !BLANK.test(value));
}

function readHeaderForm(headers: HeaderIndex, authorizations: readonly string[]): SignatureParts {
  // Joining two Authorization headers (as HTTP would) yields no meaningful signature: refuse outright.
  if (authorizations.length > 1) throw new IncompleteSignatureError(MESSAGE.repeatedAuthorization);
  const authorization = authorizations[0] as string;
  const { algorithm, parameters } = parseAuthorizationHeader(authorization);
  const amzDate = headerText(headers, HEADER.amzDate);
  const httpDate = headerText(headers, HEADER.date);
  let missing = '';
  for (const name of REQUIRED_HEADER_PARAMETERS) {
    const value = parameters.get(name);
    // An empty SignedHeaders is "present"; it then fails the Host check, as at AWS (architect/dynalite).
    if (value === undefined || (value === '' && name !== AUTHORIZATION_PARAMETER.signedHeaders)) {
      missing += MESSAGE.authorizationRequires(name);
    }
  }
  if (amzDate === undefined && httpDate === undefined) missing += MESSAGE.authorizationRequiresDate;
  if (missing !== '') throw new IncompleteSignatureError(missing + MESSAGE.authorizationEcho(authorization));
  return {
    form: 'header',
    algorithm,
    credential: parameters.get(AUTHORIZATION_PARAMETER.credential) as string,
    signedHeaders: parameters.get(AUTHORIZATION_PARAMETER.signedHeaders) as string,
    signature: parameters.get(AUTHORIZATION_PARAMETER.signature) as string,
    requestDateText: (amzDate ?? httpDate) as string,
    dateFromHttpDateHeader: amzDate === undefined,
    sessionToken: headerText(headers, HEADER.securityToken),
  };
}

function readQueryForm(params: ReadonlyMap<string, readonly string[]>): SignatureParts {
  for (const name of SINGLE_QUERY_PARAMETERS) {
    if ((params.get(name)?.length ?? 0) > 1)
      throw new IncompleteSignatureError(MESSAGE.repeatedParameter(name));
  }
  const value = (name: string) => {
    const first = params.get(name)?.[0];
    return first === '' ? undefined : first;
  };
  let missing = '';
  for (const name of REQUIRED_QUERY_PARAMETERS)
    if (value(name) === undefined) missing += MESSAGE.queryRequires(name);
  if (missing !== '') throw new IncompleteSignatureError(missing + MESSAGE.reexamineQuery);
  return {
    form: 'query',
    algorithm: value(QUERY.algorithm) as string,
    credential: value(QUERY.credential) as string,
    signedHeaders: value(QUERY.signedHeaders) as string,
    signature: value(QUERY.signature) as string,
    requestDateText: value(QUERY.date) as string,
    dateFromHttpDateHeader: false,
    expires: value(QUERY.expires),
    sessionToken: value(QUERY.securityToken),
  };
}

/**
 * Finds the signature in the Authorization header or the presigned query (X-Amz-Algorithm present).
 * Throws MissingAuthenticationToken, IncompleteSignature, or SignatureDoesNotMatch when both forms are used.
 */
export function readSignatureParts(headers: HeaderIndex, query: readonly QueryParam[]): SignatureParts {
  const authorizations = authorizationHeaders(headers);
  const amzParams = decodedParams(query, AMZ_PREFIX);
  const presigned = amzParams.has(QUERY.algorithm);
  if (authorizations.length === 0 && !presigned) {
    throw new MissingAuthenticationTokenError(MESSAGE.missingAuthenticationToken);
  }
  // AWS answers InvalidSignatureException with 400 (mhart/kinesalite).
  if (authorizations.length > 0 && presigned)
    throw new SignatureDoesNotMatchError(MESSAGE.bothForms, { status: 400 });
  return authorizations.length > 0 ? readHeaderForm(headers, authorizations) : readQueryForm(amzParams);
}
