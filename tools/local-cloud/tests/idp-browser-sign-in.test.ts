import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describeInChromium, launchChromium } from '@sigv4-auth/testing';
import type { Browser } from 'playwright-core';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { readCorporateIdp } from '../src/idp';
import { LocalCloud } from '../src/local-cloud';

// The local IdP's login page in a real browser (Debian's Chromium, headless, driven by playwright-core): the
// authorization code + PKCE flow a staff member's browser goes through, from the authorization request to the
// code on the client's redirect URI, then the token exchange.
const maybe = describeInChromium('the browser sign-in test');

const config = readCorporateIdp(LOCAL_IDENTITIES_FILE);
const REDIRECT = 'http://127.0.0.1/callback';

maybe('the local IdP in a browser', () => {
  let cloud: LocalCloud;
  let browser: Browser;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  async function signIn(user: string, password: string) {
    const verifier = randomBytes(32).toString('base64url');
    const page = await browser.newPage();
    // The client's redirect URI has no server here (the browser shows an error page): the request for it, the end
    // of the IdP's redirects, carries the code. Playwright does not route redirected requests, so it is observed.
    let callback: URL | undefined;
    page.on('request', (request) => {
      if (request.url().startsWith(`${REDIRECT}?`)) callback = new URL(request.url());
    });
    const authorize = new URL(`${cloud.url}/oidc/auth`);
    authorize.search = new URLSearchParams({
      client_id: 'staff-cli',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: `openid email groups ${config?.resourceScope}`,
      resource: config?.audience ?? '',
      state: 'state-1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    await page.goto(authorize.href);
    await page.getByLabel('User name or email').fill(user);
    await page.getByLabel('Password').fill(password);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'commit' }).catch(() => undefined),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState('load').catch(() => undefined);
    const text = callback ? '' : await page.textContent('body');
    await page.close();
    return { callback, text, verifier };
  }

  test('alice signs in on the login page; the code on the redirect buys her access token', async () => {
    const { callback, verifier } = await signIn('alice', 'Local-Alice-Passw0rd');
    expect(callback?.searchParams.get('state')).toBe('state-1');
    const code = callback?.searchParams.get('code');
    expect(code).toEqual(expect.any(String));
    const token = await fetch(`${cloud.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code as string,
        redirect_uri: REDIRECT,
        client_id: 'staff-cli',
        code_verifier: verifier,
        resource: config?.audience ?? '',
      }).toString(),
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    expect(decodeJwt(accessToken)).toMatchObject({
      sub: 'alice',
      groups: ['support'],
      aud: config?.audience,
    });
  }, 30_000);

  test('a wrong password stays on the login page with an error, and no code is sent', async () => {
    const { callback, text } = await signIn('alice', 'wrong-password-1');
    expect(callback).toBeUndefined();
    expect(text).toContain('Wrong user name or password.');
  }, 30_000);
});
