import { createHash, randomBytes } from 'node:crypto';
import { IDP_PATH } from './corporate-idp';

export interface StaffTokens {
  accessToken: string;
  idToken?: string;
  expiresIn: number;
}

export class StaffSignInError extends Error {}

/** The cookies a browser would keep for the IdP, by name. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  public keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  public header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Signs a staff user in at the local IdP as a browser would, without one: authorization code with PKCE (S256)
 * for the public client `staff-cli`, the login form posted with the user's password, the code exchanged at the
 * token endpoint. Used by `npx local-cloud idp-token` and by tests; every step is the IdP's real HTTP.
 */
export async function staffSignIn(
  cloudUrl: string,
  options: {
    user: string;
    password: string;
    audience: string;
    scope: string;
    clientId?: string;
    redirectUri?: string;
  },
): Promise<StaffTokens> {
  const issuer = `${cloudUrl}${IDP_PATH}`;
  const clientId = options.clientId ?? 'staff-cli';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1/callback';
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const jar = new CookieJar();
  const step = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(new URL(url, cloudUrl), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.keep(response);
    return response;
  };
  const authorize = new URL(`${issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: `openid email groups ${options.scope}`,
    resource: options.audience,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  let response = await step(authorize.href);
  let location = response.headers.get('location');
  if (!location?.includes('/interaction/'))
    throw new StaffSignInError(
      `the IdP did not start a sign-in (${response.status} ${await response.text()})`,
    );
  const login = await step(`${location}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: options.user, password: options.password }).toString(),
  });
  if (login.status === 401) throw new StaffSignInError(`wrong user name or password for ${options.user}`);
  location = login.headers.get('location');
  // Follow the IdP's redirects (back to /auth, past implied consent) until it sends the browser to the client.
  for (let hops = 0; location && !location.startsWith(redirectUri) && hops < 6; hops += 1) {
    response = await step(location);
    location = response.headers.get('location');
  }
  if (!location?.startsWith(redirectUri))
    throw new StaffSignInError(`the IdP did not return to ${redirectUri} (${response.status})`);
  const callback = new URL(location);
  if (callback.searchParams.get('state') !== state) throw new StaffSignInError('state mismatch');
  const code = callback.searchParams.get('code');
  if (!code)
    throw new StaffSignInError(
      `no code: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description') ?? ''}`,
    );
  const token = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: options.audience,
    }).toString(),
  });
  const body = (await token.json()) as {
    access_token?: string;
    id_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!token.ok || !body.access_token)
    throw new StaffSignInError(`the token endpoint refused: ${body.error} ${body.error_description ?? ''}`);
  return { accessToken: body.access_token, idToken: body.id_token, expiresIn: body.expires_in ?? 0 };
}
