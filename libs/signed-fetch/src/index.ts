export { cachedCredentials, REFRESH_BEFORE_EXPIRY_MS } from './credentials-cache';
export { createSignedFetch } from './create-signed-fetch';
export {
  ConfigurationError,
  CredentialsError,
  NetworkError,
  SignedFetchError,
  SigningError,
  TimeoutError,
} from './errors';
export { PortableSha256, Sha256, sha256Implementation } from './sha256';
export {
  MAX_PRESIGN_EXPIRES_SECONDS,
  presignRequest,
  signerQuery,
  signRequest,
  type RequestToSign,
  type SigningScopeInput,
  type SigningTrace,
  type SignOptions,
  withLiteralPlus,
} from './sign-request';
export { inferSigningScope, resolveSigningScope, type SigningScope } from './signing-scope';
export type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  RetryOptions,
  SignedFetch,
  SignedFetchOptions,
} from './types';
