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
export { signRequest, type RequestToSign } from './sign-request';
export { inferSigningScope, resolveSigningScope, type SigningScope } from './signing-scope';
export type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  RetryOptions,
  SignedFetch,
  SignedFetchOptions,
} from './types';
