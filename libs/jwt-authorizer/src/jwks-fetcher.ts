import { SimpleFetcher, type Fetcher } from 'aws-jwt-verify/https';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** A JWKS is a few keys: more than this is not one. */
const MAX_JWKS_BYTES = 256 * 1024;

/**
 * aws-jwt-verify's HTTPS fetcher, plus plain `http://` for loopback hosts only: a local IdP (the local cloud's
 * at `http://127.0.0.1:<port>/oidc`) serves its JWKS without TLS. Any other `http://` URL is refused, so a
 * misconfigured deployment never fetches keys over an unprotected network.
 */
export class LoopbackOrHttpsFetcher implements Fetcher {
  private readonly https = new SimpleFetcher();

  public async fetch(
    uri: string,
    requestOptions?: Record<string, unknown>,
    data?: ArrayBuffer,
  ): Promise<ArrayBuffer> {
    const url = new URL(uri);
    if (url.protocol === 'https:') return this.https.fetch(uri, requestOptions, data);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname))
      throw new TypeError(`JWKS must come over https (or http on a loopback host for local IdPs): ${uri}`);
    // No redirects: one to another host would fetch keys over plain http from anywhere.
    const response = await fetch(url, { signal: AbortSignal.timeout(3000), redirect: 'error' });
    if (!response.ok) throw new Error(`JWKS ${uri}: status ${response.status}, expected 200`);
    const body = await response.arrayBuffer();
    if (body.byteLength > MAX_JWKS_BYTES) throw new Error(`JWKS ${uri}: more than ${MAX_JWKS_BYTES} bytes`);
    return body;
  }
}
