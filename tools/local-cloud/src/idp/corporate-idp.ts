import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { exportJWK, type JWK } from 'jose';
import { newRsaKeyPairAsync } from '../crypto/rsa-key-pair';
import type { Clock } from '../clock/clock';

/** Where the local cloud serves the IdP: issuer `http://127.0.0.1:<port>/oidc` (DESIGN.md Part 2). */
export const IDP_PATH = '/oidc';

export interface StaffMember {
  name: string;
  email: string;
  groups: string[];
  /** A published local password (identities file); the IdP keeps only its scrypt hash. */
  password: string;
}

export interface IdpClient {
  clientId: string;
  /** Confidential clients (client_credentials); none: a public client with PKCE. */
  clientSecret?: string;
  redirectUris?: string[];
}

/** The `corporateIdp` section of `infra/local/identities.json`. */
export interface CorporateIdpConfig {
  /** The API the access tokens are for (their `aud`). */
  audience: string;
  /** The one scope of that API. */
  resourceScope: string;
  accessTokenTtlSeconds: number;
  clients: IdpClient[];
  staff: StaffMember[];
}

export class IdpConfigError extends Error {}

/** The IdP's settings from the identities file, checked; undefined when the file has none. */
export function readCorporateIdp(file: string): CorporateIdpConfig | undefined {
  const section = (JSON.parse(readFileSync(file, 'utf8')) as { corporateIdp?: Partial<CorporateIdpConfig> })
    .corporateIdp;
  if (section === undefined) return undefined;
  const fail = (why: string): never => {
    throw new IdpConfigError(`${file}: corporateIdp: ${why}`);
  };
  if (typeof section.audience !== 'string' || section.audience === '') fail('audience must be a string');
  if (typeof section.resourceScope !== 'string' || !/^[\w.:-]+$/.test(section.resourceScope))
    fail('resourceScope must be one scope');
  const ttl = section.accessTokenTtlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) fail('accessTokenTtlSeconds must be 60 to 86400');
  for (const member of section.staff ?? []) {
    if (!/^[a-z][\w.-]*$/.test(String(member.name)))
      fail(`staff name ${String(member.name)} is not a user name`);
    if (!Array.isArray(member.groups) || member.groups.some((group) => typeof group !== 'string'))
      fail(`staff ${member.name}: groups must be a list of names`);
    if (typeof member.password !== 'string' || member.password.length < 12)
      fail(`staff ${member.name}: password must have at least 12 characters`);
  }
  for (const client of section.clients ?? [])
    if (typeof client.clientId !== 'string' || client.clientId === '') fail('every client needs a clientId');
  return {
    audience: section.audience as string,
    resourceScope: section.resourceScope as string,
    accessTokenTtlSeconds: ttl,
    clients: section.clients ?? [],
    staff: section.staff ?? [],
  };
}

/** oidc-provider's client metadata for one configured client. */
function clientMetadata(client: IdpClient): Record<string, unknown> {
  if (client.clientSecret !== undefined)
    return {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    };
  return {
    client_id: client.clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: client.redirectUris ?? [],
  };
}

/** The RS256 signing key: kept in the state folder in disk mode (0600), so tokens outlive a restart. */
async function signingKey(stateDir: string | undefined): Promise<JWK> {
  const file = stateDir && path.join(stateDir, 'oidc', 'signing-key.json');
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await newRsaKeyPairAsync();
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig' };
  const key = { ...jwk, kid: `local-${Date.now().toString(36)}` };
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  }
  return key;
}

/** Hop-by-hop headers (RFC 9110 7.6.1): for one connection, never passed on by a proxy. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.includes(name)),
  );
}

/** How long the IdP may take to answer one request. */
const IDP_TIMEOUT_MS = 10_000;

/**
 * The local corporate OIDC IdP: `oidc-provider` in a worker thread (it is an ES module), reached through the
 * local cloud's port at `/oidc`. It reads the local cloud's clock from shared memory, so a moved clock holds
 * for its very next request.
 */
export class CorporateIdp {
  private exited = false;
  private stopping = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: number,
    private readonly host: string,
    private readonly unsubscribe: () => void,
    log: (line: string) => void,
  ) {
    worker.once('exit', (code) => {
      this.exited = true;
      if (!this.stopping) log(`The local IdP stopped (exit code ${code}): /oidc answers 503 from now on`);
    });
  }

  public static async start(options: {
    issuer: string;
    config: CorporateIdpConfig;
    stateDir?: string;
    clock: Clock;
    log: (line: string) => void;
  }): Promise<CorporateIdp> {
    const { config, clock, log } = options;
    const clockOffset = new BigInt64Array(new SharedArrayBuffer(8));
    Atomics.store(clockOffset, 0, BigInt(clock.offset));
    const worker = new Worker(path.join(__dirname, 'oidc-worker.mjs'), {
      workerData: {
        issuer: options.issuer,
        audience: config.audience,
        resourceScope: config.resourceScope,
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
        clients: config.clients.map(clientMetadata),
        staff: config.staff,
        signingKey: await signingKey(options.stateDir),
        clockOffset,
      },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    // oidc-provider's start-up notices, into the local cloud's log. Two are expected here and dropped: Node 20
    // (the package wants 22; this repo's tests pass on 20) and the in-memory store (sessions and codes are
    // meant to end with the local cloud; the signing key is kept on disk).
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '' || /Unsupported runtime|in-memory adapter/.test(line)) continue;
        log(`[oidc] ${line}`);
      }
    };
    worker.stdout.on('data', relay);
    worker.stderr.on('data', relay);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the IdP worker did not start within 15 s')), 15_000);
      worker.on('message', (message: { port?: number; log?: string }) => {
        if (message.log !== undefined) log(message.log);
        if (message.port !== undefined) {
          clearTimeout(timer);
          resolve(message.port);
        }
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        log(`The local IdP failed: ${error.message}`);
        reject(error);
      });
    });
    const unsubscribe = clock.onChange((offsetMs) => Atomics.store(clockOffset, 0, BigInt(offsetMs)));
    return new CorporateIdp(worker, port, new URL(options.issuer).host, unsubscribe, log);
  }

  /**
   * Passes a request for `/oidc/...` to the IdP and streams its answer back: end-to-end headers only, `Host`
   * pinned to the issuer's (oidc-provider builds URLs from it), a timeout, and either side's abort passed on.
   */
  public proxy(message: IncomingMessage, response: ServerResponse): void {
    if (this.exited) {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'The local IdP is not running (see the local cloud log)' }));
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: this.port,
        method: message.method,
        path: message.url,
        headers: { ...endToEnd(message.headers), host: this.host },
        timeout: IDP_TIMEOUT_MS,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(response);
        answer.once('error', () => response.destroy());
      },
    );
    upstream.once('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.once('error', () => {
      // Before the answer started: a clear 502. After: the half-sent answer is cut, never patched.
      if (response.headersSent) {
        response.destroy();
        return;
      }
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'The local IdP did not answer' }));
    });
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    message.pipe(upstream);
  }

  public async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe();
    await this.worker.terminate();
  }
}
