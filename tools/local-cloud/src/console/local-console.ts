import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import type { RequestLog } from '../requests';
import { consoleSnapshot, type ConsoleSources } from './console-snapshot';
import { ConsoleSessions } from './console-sessions';

export const CONSOLE_PATH = '/_local/console';

/**
 * Where the built page is: `console-page/dist` beside `src` in a clone (built by `console-page/build.mjs`, which
 * `npm start`, the tests and the packing run), `console` beside `dist` in the installed package.
 */
export function consoleAssetsDir(): string | undefined {
  return [path.resolve(__dirname, '../../console-page/dist'), path.resolve(__dirname, '../../console')].find(
    (dir) => existsSync(path.join(dir, 'index.html')),
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Every console answer: no caching, no framing by other pages, nothing loaded from elsewhere (the page works
 * offline and cannot send data out), no Referer (a sign-in link's code is in its URL until the redirect).
 */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  jsonReply(status, body, { ...PAGE_HEADERS, ...headers });

/** How long a live-log request waits for a new entry, and how many may wait at once. */
const WAIT_MS = 15_000;
const MAX_WAITING = 16;
/** Entries recorded within this of the first are sent together: one answer per burst, not per request. */
const BATCH_MS = 150;
/**
 * The most entries one answer carries: the newest. Under load (thousands of requests a second) the rest are
 * counted (`skipped`), not sent: the page shows at most this many new rows a second, more than anyone reads, and
 * serializing and drawing more would take CPU from the gateway it watches. `/_local/requests` has them all.
 */
const MAX_BATCH = 100;

/**
 * `/_local/console`: the local cloud's page (stacks and routes, the live request log with each decision,
 * authorizer cache entries, usage-plan counters, Cognito users, metric charts) and the two reads it makes:
 * `api/state` (a snapshot) and `api/requests?after=<seq>` (new log entries; waits up to 15 s for one).
 */
export class LocalConsole {
  public readonly sessions = new ConsoleSessions();
  /** The page's files, read on the console's first request (not at every start of the local cloud). */
  private loaded?: Map<string, { type: string; body: Buffer }>;
  private waiting = 0;
  /** The live-log requests waiting now: answered at once when the local cloud stops. */
  private readonly waiters = new Set<() => void>();

  public constructor(
    private readonly sources: ConsoleSources,
    private readonly requests: RequestLog,
    private readonly assetsDir = consoleAssetsDir(),
  ) {}

  /** Read once: only these files are served, so no request path ever reaches the file system. */
  private get assets(): Map<string, { type: string; body: Buffer }> {
    if (this.loaded) return this.loaded;
    const assets = new Map<string, { type: string; body: Buffer }>();
    const dir = this.assetsDir;
    if (!dir) return (this.loaded = assets);
    const add = (relative: string) => {
      const type = TYPES[path.extname(relative)];
      if (type) assets.set(relative, { type, body: readFileSync(path.join(dir, relative)) });
    };
    try {
      add('index.html');
      const assetDir = path.join(dir, 'assets');
      if (existsSync(assetDir)) for (const file of readdirSync(assetDir)) add(`assets/${file}`);
    } catch {
      // Being rebuilt at this moment (console-page/build.mjs empties the folder first): not built, asked again.
      return new Map();
    }
    return (this.loaded = assets);
  }

  /**
   * A request under `/_local/console` (loopback Host and not from a function: checked by the caller). A browser's
   * request must be same-origin (Sec-Fetch-Site, Origin): another site's page cannot read or drive it, and the
   * session cookie is SameSite=Strict.
   */
  public async handle(request: IncomingRequest): Promise<OutgoingResponse> {
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    if (
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`)
    )
      return reply(403, { message: 'The console answers its own page only (same origin)' });
    if (request.method !== 'GET') return reply(405, { message: 'The console only reads: use GET' });
    const route = request.rawPath.slice(CONSOLE_PATH.length);
    const query = new URLSearchParams(request.rawQuery);
    if (route === '' || route === '/') {
      const code = query.get('code');
      if (code !== null) return this.signIn(code);
    }
    if (!this.sessions.isSignedIn(request.headers.cookie))
      return reply(401, {
        message:
          'Open the console with a sign-in link: the one `local-cloud start` printed, or a new one from `npx local-cloud console` (each works once, for 5 minutes)',
      });
    if (route === '/api/state') return reply(200, consoleSnapshot(this.sources));
    if (route === '/api/requests') return this.liveRequests(query.get('after'));
    const asset = this.assets.get(route === '' || route === '/' ? 'index.html' : route.slice(1));
    if (asset)
      return { status: 200, headers: { ...PAGE_HEADERS, 'content-type': asset.type }, body: asset.body };
    if (this.assets.size === 0)
      return reply(503, {
        message:
          'The console page is not built: run `npx nx run local-cloud:console-page` (a clone; `npm start` does it), or reinstall the package',
      });
    return reply(404, { message: `No console page ${route}` });
  }

  /** Answers every waiting live-log request (the local cloud is stopping). */
  public close(): void {
    for (const done of [...this.waiters]) done();
  }

  private signIn(code: string): OutgoingResponse {
    const session = this.sessions.signIn(code);
    if (!session)
      return reply(401, {
        message:
          'This sign-in link was used already or is over 5 minutes old: get a new one with `npx local-cloud console`',
      });
    // Redirected to the page without the code, so it is in neither the history's current entry nor a Referer.
    return {
      status: 303,
      headers: { ...PAGE_HEADERS, location: `${CONSOLE_PATH}/`, 'set-cookie': this.sessions.cookie(session) },
      body: '',
    };
  }

  /**
   * `after`: the sequence number of the last entry the page has (none: the latest, at once). `skipped`: entries
   * after it that are not in the answer (see MAX_BATCH).
   */
  private async liveRequests(after: string | null): Promise<OutgoingResponse> {
    if (after !== null && !/^\d{1,15}$/.test(after))
      return reply(400, { message: 'after is the sequence number the previous answer gave' });
    const log = this.requests;
    /** The entries after `since`; a first read (`since` undefined) gets the latest and skips nothing. */
    const answer = (since?: number) => {
      const requests = log.after(since ?? 0, MAX_BATCH);
      return reply(200, {
        sequence: log.sequence,
        requests,
        skipped: since === undefined ? 0 : log.sequence - since - requests.length,
      });
    };
    if (after === null) return answer();
    const seq = Number(after);
    // A sequence ahead of the log's (the local cloud restarted): start again from the latest entries.
    if (seq > log.sequence) return answer();
    if (seq < log.sequence) return answer(seq);
    if (this.waiting >= MAX_WAITING) return answer(seq);
    this.waiting++;
    try {
      await new Promise<void>((resolve) => {
        let batch: NodeJS.Timeout | undefined;
        const done = () => {
          clearTimeout(timeout);
          clearTimeout(batch);
          unsubscribe();
          this.waiters.delete(done);
          resolve();
        };
        this.waiters.add(done);
        const timeout = setTimeout(done, WAIT_MS);
        const unsubscribe = log.subscribe(() => {
          batch ??= setTimeout(done, BATCH_MS);
        });
      });
    } finally {
      this.waiting--;
    }
    return answer(seq);
  }
}
