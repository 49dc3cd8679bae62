/** The only algorithm accepted: SigV4a (ECDSA) is not emulated. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const SCOPE_TERMINATOR = 'aws4_request';
/** API Gateway allows 5 minutes of clock skew (DESIGN.md parity table); other services allow 15. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
/**
 * Presigned URLs live 1..604800 seconds: the signing key is only valid for 7 days.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Accepted in x-amz-content-sha256 only for S3-style (unnormalised) services. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Derived keys change once a day per key and scope; a few hundred cover every identity of a local cloud. */
export const SIGNING_KEY_CACHE_SIZE = 256;
/** RFC 3986 section 2.3: the only characters SigV4 leaves unencoded. */
export const UNRESERVED_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
/** Header values are trimmed and inner runs collapsed over HTTP whitespace (obs-fold line breaks included). */
export const HTTP_WHITESPACE_RUN = /[ \t\r\n]+/g;

/** Lower-case header names. */
export const HEADER = {
  authorization: 'authorization',
  amzDate: 'x-amz-date',
  date: 'date',
  securityToken: 'x-amz-security-token',
  contentSha256: 'x-amz-content-sha256',
  host: 'host',
  authority: ':authority',
} as const;

/** Presigned-URL parameters (case-sensitive, as AWS reads them). */
export const QUERY = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  securityToken: 'X-Amz-Security-Token',
} as const;

/** Parameters of the Authorization header. */
export const AUTHORIZATION_PARAMETER = {
  credential: 'Credential',
  signedHeaders: 'SignedHeaders',
  signature: 'Signature',
} as const;

/**
 * AWS's answers, word for word. Where AWS joins several findings into one message, each fragment keeps its
 * trailing ". " and fragments are concatenated, as AWS does (the service/region texts end with a space).
 */
export const MESSAGE = {
  // API Gateway, DESIGN.md parity table; https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
  missingAuthenticationToken: 'Missing Authentication Token',
  // API Gateway answers for a header without the parameters: aws/chalice#828,
  // svdgraaf/serverless-basic-authentication#3; fragment order from architect/dynalite index.js.
  authorizationRequires: (parameter: string) => `Authorization header requires '${parameter}' parameter. `,
  authorizationRequiresDate:
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
  authorizationEcho: (authorization: string) => `Authorization=${authorization}`,
  // API Gateway answers to "Authorization: Bearer <jwt>" (GitHub code search: "not a valid key=value pair"),
  // and the format noted in architect/dynalite index.js.
  notKeyValuePair: (token: string, authorization: string) =>
    `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
  // mhart/kinesalite index.js (texts recorded from AWS), dacut/scratchstack-aws-signature src/constants.rs
  queryRequires: (parameter: string) => `AWS query-string parameters must include '${parameter}'. `,
  reexamineQuery: 'Re-examine the query-string parameters.',
  // mhart/kinesalite index.js
  bothForms: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  // Not from AWS (no recorded answer found): a second Authorization header or auth parameter is ambiguous.
  repeatedAuthorization: 'The request must carry exactly one Authorization header.',
  repeatedParameter: (parameter: string) => `The request must carry '${parameter}' only once.`,
  // architect/dynalite index.js (recorded from DynamoDB)
  dateFormat: (got: string) =>
    `Date must be in ISO-8601 'basic format'. Got '${got}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  // Brief / DESIGN.md; architect/dynalite index.js; serverless/enterprise#11 for "not yet current"
  signatureExpired: (signed: string, limit: string, now: string, minutes: number) =>
    `Signature expired: ${signed} is now earlier than ${limit} (${now} - ${minutes} min.)`,
  signatureNotYetCurrent: (signed: string, limit: string, now: string, minutes: number) =>
    `Signature not yet current: ${signed} is still later than ${limit} (${now} + ${minutes} min.)`,
  // S3's AuthorizationQueryParametersError texts: aws/aws-cli#5464, minio/minio#5162 (no other service
  // publishes its own); "Request has expired": S3's answer quoted in aws/aws-sdk-js#3493.
  expiresNotNumber: 'X-Amz-Expires should be a number',
  expiresNegative: 'X-Amz-Expires must be non-negative',
  expiresTooLong:
    'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
  requestExpired: 'Request has expired',
  // dacut/scratchstack-aws-signature src/constants.rs (older wording in NetSPI/AWSSigner#3)
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  // S3's AccessDenied text for the same rule (HeadersNotSigned); AWS documents no other service's wording.
  headersNotSigned: (names: readonly string[]) =>
    `There were headers present in the request which were not signed: ${names.join(', ')}`,
  // architect/dynalite index.js
  unsupportedAlgorithm: (algorithm: string) =>
    `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
  // architect/dynalite index.js, mhart/aws4#97
  credentialParts: (credential: string) =>
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  // Region: joona/aws-es-curl#15, aws/aws-sdk-js#792 (execute-api). Service: DESIGN.md,
  // cllunsford/aws-signing-proxy#25, timkay/aws#111. Terminator and date: architect/dynalite index.js.
  wrongRegion: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  wrongService: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  wrongTerminator: (terminator: string) =>
    `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'. `,
  wrongDate: (scopeDate: string, requestDate: string, requestDateTime: string) =>
    `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestDate}', from '${requestDateTime}'. `,
  // https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch; DESIGN.md
  invalidToken: 'The security token included in the request is invalid.',
  // DESIGN.md; AWS CLI output quoted in prowler-cloud/prowler#789
  expiredToken: 'The security token included in the request is expired',
  // DESIGN.md; full text with the canonical request recorded in architect/dynalite index.js
  signatureMismatch: (canonicalRequest: string, stringToSign: string) =>
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
    `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'` +
    `\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  // S3's XAmzContentSHA256Mismatch: grosskur/lua-resty-aws#2, s3tools/s3cmd#812
  contentSha256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  // AWS Common Errors, InternalFailure: https://docs.aws.amazon.com/emr/latest/APIReference/CommonErrors.html
  internalFailure: 'The request processing has failed because of an unknown error, exception or failure.',
} as const;
