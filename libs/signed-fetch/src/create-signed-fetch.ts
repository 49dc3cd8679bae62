import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { cachedCredentials } from './credentials-cache';
import { NetworkError, SigningError, TimeoutError } from './errors';
import { bodyBytes } from './request-body';
import { signRequest, withLiteralPlus } from './sign-request';
import { resolveSigningScope } from './signing-scope';
import type { SignedFetch, SignedFetchOptions } from './types';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** API Gateway's answers to a request signed with a clock too far from its own. */
const SKEW_MESSAGE = /Signature expired|Signature not yet current|RequestTimeTooSkewed/;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

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
  /** The clock offset learned from one endpoint's skew refusal, per host and signing scope: no other's. */
  const clockOffsets = new Map<string, number>();

  const signedFetch: SignedFetch = async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = withLiteralPlus(new URL(request ? request.url : input.toString()));
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers ?? request?.headers).forEach((value, name) => (headers[name] = value));
    const { bytes, contentType } = await bodyBytes(
      init.body ?? (request?.body as BodyInit | null | undefined),
    );
    if (contentType && !headers['content-type']) headers['content-type'] = contentType;
    const scope = resolveSigningScope(url, options);
    const offsetKey = `${url.host} ${scope.region} ${scope.service}`;
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
          signingDate: new Date(now() + (clockOffsets.get(offsetKey) ?? 0)),
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
          // Never let fetch follow a redirect: it would send the signed headers (the session token among
          // them) to wherever Location points, and hand back that host's answer as this API's.
          redirect: 'manual',
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
          clockOffsets.set(offsetKey, serverDate - now());
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
      return followRedirect(response, { url, method, headers, init, signal });
    }
  };

  /**
   * Redirects of signed requests are not followed unless asked: a 3xx comes back as it is (fetch's `'manual'`,
   * with its Location), since following would send the signed headers, session token included, wherever
   * Location points. With `redirect: 'follow'` in `init`, a GET or HEAD follows a same-origin redirect, signed
   * anew, at most 5 hops within the first request's time budget; anything else still comes back as the 3xx.
   * `'error'` throws on a redirect.
   */
  async function followRedirect(
    response: Response,
    sent: {
      url: URL;
      method: string;
      headers: Record<string, string>;
      init: RequestInit;
      signal: AbortSignal;
    },
  ): Promise<Response> {
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    const { url, method, init } = sent;
    if (init.redirect === 'error') {
      await response.body?.cancel();
      throw new NetworkError(`${method} ${url.origin}${url.pathname} was redirected (redirect: 'error')`);
    }
    const location = response.headers.get('location');
    const hops = redirectHops.get(init) ?? 0;
    if (init.redirect !== 'follow' || location === null || hops >= MAX_REDIRECTS) return response;
    const next = new URL(location, url);
    if (next.origin !== url.origin || (method !== 'GET' && method !== 'HEAD')) return response;
    await response.body?.cancel();
    const nextInit: RequestInit = {
      ...init,
      method,
      headers: sent.headers,
      body: undefined,
      signal: sent.signal,
    };
    redirectHops.set(nextInit, hops + 1);
    return signedFetch(next, nextInit);
  }

  return signedFetch;
}

/** How many redirects led to a request (its init), so a loop ends. */
const redirectHops = new WeakMap<RequestInit, number>();
