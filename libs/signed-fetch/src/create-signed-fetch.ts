import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { cachedCredentials } from './credentials-cache';
import { NetworkError, SigningError, TimeoutError } from './errors';
import { bodyBytes } from './request-body';
import { signRequest } from './sign-request';
import { resolveSigningScope } from './signing-scope';
import type { SignedFetch, SignedFetchOptions } from './types';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** API Gateway's answers to a request signed with a clock too far from its own. */
const SKEW_MESSAGE = /Signature expired|Signature not yet current|RequestTimeTooSkewed/;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * A `fetch` that signs every request with AWS Signature V4, for calling AWS_IAM-protected APIs
 * (API Gateway, Lambda function URLs) and other AWS endpoints.
 *
 * @example
 * const signedFetch = createSignedFetch({ region: 'eu-west-1' });
 * const response = await signedFetch('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/customers/42');
 */
export function createSignedFetch(options: SignedFetchOptions = {}): SignedFetch {
  const now = options.now ?? Date.now;
  const send = options.fetch ?? globalThis.fetch;
  const credentials = cachedCredentials(options.credentials ?? fromNodeProviderChain(), now);
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 3);
  const baseDelayMs = options.retry?.baseDelayMs ?? 100;
  const maxDelayMs = options.retry?.maxDelayMs ?? 2000;
  let clockOffsetMs = 0;

  return async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input.toString());
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers ?? request?.headers).forEach((value, name) => (headers[name] = value));
    const { bytes, contentType } = await bodyBytes(
      init.body ?? (request?.body as BodyInit | null | undefined),
    );
    if (contentType && !headers['content-type']) headers['content-type'] = contentType;
    const scope = resolveSigningScope(url, options);
    const retryable = IDEMPOTENT.has(method) || options.retry?.retryNonIdempotent === true;
    const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signals = [timeout, init.signal ?? undefined].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    const signal = signals.length > 0 ? AbortSignal.any(signals) : new AbortController().signal;
    let skewRetried = false;

    for (let attempt = 1; ; attempt += 1) {
      const identity = await credentials();
      let signedHeaders: Record<string, string>;
      try {
        signedHeaders = await signRequest({ method, url, headers, body: bytes }, identity, scope, {
          signingDate: new Date(now() + clockOffsetMs),
        });
      } catch (error) {
        throw new SigningError(
          `Could not sign ${method} ${url.origin}${url.pathname}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      let response: Response;
      try {
        response = await send(url, {
          ...init,
          method,
          headers: signedHeaders,
          body: bytes as BodyInit | undefined,
          signal,
        });
      } catch (error) {
        if (timeout?.aborted)
          throw new TimeoutError(
            `${method} ${url.origin}${url.pathname} timed out after ${options.timeoutMs} ms`,
            { cause: error },
          );
        if (signal.aborted) throw error;
        if (!retryable || attempt >= maxAttempts) {
          throw new NetworkError(
            `${method} ${url.origin}${url.pathname} failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)), signal);
        continue;
      }
      if (response.status === 403 && !skewRetried) {
        const serverDate = Date.parse(response.headers.get('date') ?? '');
        const text = await response.clone().text();
        if (SKEW_MESSAGE.test(text) && !Number.isNaN(serverDate)) {
          // As the AWS SDKs do: adopt the server's clock and retry once (the request was refused unprocessed).
          clockOffsetMs = serverDate - now();
          skewRetried = true;
          attempt -= 1;
          continue;
        }
      }
      if (retryable && attempt < maxAttempts && (response.status === 429 || response.status >= 500)) {
        await response.body?.cancel();
        await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)), signal);
        if (timeout?.aborted)
          throw new TimeoutError(
            `${method} ${url.origin}${url.pathname} timed out after ${options.timeoutMs} ms`,
          );
        continue;
      }
      return response;
    }
  };
}
