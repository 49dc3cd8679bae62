import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export type SignedFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Retry POST/PATCH too. Default false: a retried non-idempotent request may run twice. */
  retryNonIdempotent?: boolean;
}

export interface SignedFetchOptions {
  /** Static credentials or a provider; default: the AWS SDK's default chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Default: inferred from the URL, else AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  /** Default: inferred from the URL, else `execute-api`. */
  service?: string;
  /** The fetch that sends signed requests (tests, custom agents). Default: globalThis.fetch. */
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** Overall time budget across retries. */
  timeoutMs?: number;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider };
