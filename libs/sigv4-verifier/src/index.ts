export {
  ExpiredTokenError,
  IncompleteSignatureError,
  InternalFailureError,
  InvalidClientTokenIdError,
  InvalidCredentialScopeError,
  MissingAuthenticationTokenError,
  SigV4Error,
  SignatureDoesNotMatchError,
  SignatureExpiredError,
  type SigV4ErrorCode,
  type SigV4ErrorOptions,
} from './errors';
export { normalizedPath } from './canonical-uri';
export { readCredentialScope } from './read-credential-scope';
export type { CredentialRecord, CredentialScope, SignedRequest, VerifyOptions, VerifyResult } from './types';
export { verifySigV4 } from './verify-sigv4';
export { signedRequestFromNode } from './node-request';
