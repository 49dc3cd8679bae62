import { SimpleFetcher, type Fetcher } from 'aws-jwt-verify/https';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

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
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`JWKS ${uri}: status ${response.status}, expected 200`);
    return response.arrayBuffer();
  }
}
