export { buildCanonicalRequest, canonicalQuery, canonicalUri, uriEncode } from './canonical-request';
export { MESSAGES } from './constants';
export { SigV4Error, type SigV4ErrorCode } from './errors';
export { readCredentialScope } from './parse-authorization';
export type { CredentialRecord, CredentialScope, SignedRequest, VerifyOptions } from './types';
export { verifySigV4, type VerifyResult } from './verify';
