import { CredentialsError } from './errors';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './types';

/** Refresh this long before `expiration`, so a request is never signed with credentials about to expire. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/**
 * Resolves credentials once and reuses them until shortly before they expire; concurrent requests share
 * one lookup. Never a credential lookup per request.
 */
export function cachedCredentials(
  source: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  now: () => number,
): () => Promise<AwsCredentialIdentity> {
  if (typeof source !== 'function') return async () => source;
  let current: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (credentials: AwsCredentialIdentity) =>
    !credentials.expiration || credentials.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS > now();
  return async () => {
    if (current && fresh(current)) return current;
    inFlight ??= source()
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .catch((error: unknown) => {
        throw new CredentialsError('Could not resolve AWS credentials', { cause: error });
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
