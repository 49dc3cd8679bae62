export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const SCOPE_TERMINATOR = 'aws4_request';
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;
/** Presigned URLs may live at most 7 days (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800;
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const HEADER = {
  authorization: 'authorization',
  date: 'x-amz-date',
  httpDate: 'date',
  securityToken: 'x-amz-security-token',
  contentSha256: 'x-amz-content-sha256',
  host: 'host',
} as const;

export const QUERY = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  securityToken: 'X-Amz-Security-Token',
} as const;

/** API Gateway's answers, word for word (parity table in DESIGN.md / README). */
export const MESSAGES = {
  missingToken: 'Missing Authentication Token',
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  wrongService: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  wrongRegion: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
} as const;
