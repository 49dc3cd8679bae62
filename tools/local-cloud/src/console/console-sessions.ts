import { hash, randomBytes } from 'node:crypto';
import { StartSecret } from '../admin';

/** A link code's key in the map of open links: its digest, so no code is kept or compared as text. */
const linkKey = (code: string) => hash('sha256', code, 'hex');

/** The cookie that holds a console session: HttpOnly, SameSite=Strict, sent only to the console's own paths. */
export const CONSOLE_COOKIE = 'local-cloud-console';
/** How long a sign-in link works, and it works once. */
const LINK_TTL_MS = 5 * 60_000;
const MAX_OPEN_LINKS = 100;

/**
 * Who may see the console. The admin token never goes into a URL (browser history, screen shares): the local cloud
 * hands out one-time sign-in links instead (`LocalCloud.consoleUrl()`, `local-cloud console`), each of which sets a
 * session cookie for this start of the local cloud. Comparisons of codes and sessions are constant time.
 */
export class ConsoleSessions {
  private readonly session = new StartSecret();
  /** Digest (hex) of an unused link's code -> when it stops working (ms). */
  private readonly links = new Map<string, number>();

  public constructor(private readonly nowMs: () => number = Date.now) {}

  /** A new one-time code for a sign-in link. */
  public newLink(): string {
    const now = this.nowMs();
    for (const [code, expires] of this.links) if (expires <= now) this.links.delete(code);
    if (this.links.size >= MAX_OPEN_LINKS) this.links.delete(this.links.keys().next().value as string);
    const code = randomBytes(32).toString('base64url');
    this.links.set(linkKey(code), now + LINK_TTL_MS);
    return code;
  }

  /** Spends a link's code: the session cookie's value if it was valid, unused and not expired. */
  public signIn(code: string): string | undefined {
    // The map lookup is by digest, so the code's text is never compared byte by byte.
    const key = linkKey(code);
    const expires = this.links.get(key);
    if (expires === undefined) return undefined;
    this.links.delete(key);
    return expires > this.nowMs() ? this.session.value : undefined;
  }

  /** Whether the request's Cookie header holds this start's session. */
  public isSignedIn(cookieHeader: string | undefined): boolean {
    for (const part of (cookieHeader ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === CONSOLE_COOKIE && this.session.matches(value.join('='))) return true;
    }
    return false;
  }

  public cookie(value: string): string {
    return `${CONSOLE_COOKIE}=${value}; Path=/_local/console; HttpOnly; SameSite=Strict`;
  }
}
