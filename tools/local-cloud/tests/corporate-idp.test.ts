import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import {
  machineTokenResponse,
  readCorporateIdp,
  staffSignIn,
  StaffSignInError,
  staffToken,
} from '../src/idp';
import { LocalCloud } from '../src/local-cloud';

// The local stand-in for a company's OIDC IdP (DESIGN.md Part 2): the certified oidc-provider package at
// <cloud>/oidc, staff seeded from infra/local/identities.json. Checked with jose's remote JWKS, an independent
// verifier, as a resource server verifies RFC 9068 JWT access tokens (https://www.rfc-editor.org/rfc/rfc9068).
const config = readCorporateIdp(LOCAL_IDENTITIES_FILE);
if (!config) throw new Error('infra/local/identities.json has no corporateIdp section');
const robot = config.clients.find((client) => client.clientSecret !== undefined);

let cloud: LocalCloud;
const lines: string[] = [];
let issuer: string;

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  issuer = `${cloud.url}/oidc`;
}, 30_000);

afterAll(async () => {
  await cloud?.stop();
});

async function verified(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  return jwtVerify(token, jwks, { issuer, audience: config?.audience, algorithms: ['RS256'], typ: 'at+jwt' });
}

const clientCredentials = (secret?: string) => machineTokenResponse(cloud.url, LOCAL_IDENTITIES_FILE, secret);

test('discovery at <issuer>/.well-known/openid-configuration names the issuer, the endpoints and S256 PKCE', async () => {
  const answer = await fetch(`${issuer}/.well-known/openid-configuration`);
  expect(answer.status).toBe(200);
  const discovery = (await answer.json()) as Record<string, unknown>;
  expect(discovery).toMatchObject({
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    code_challenge_methods_supported: ['S256'],
  });
  expect(discovery.grant_types_supported).toEqual(
    expect.arrayContaining(['authorization_code', 'client_credentials']),
  );
});

test.each([
  ['alice', ['support']],
  ['bob', ['admin']],
  ['eve', []],
])(
  '%s signs in (code + PKCE): an RS256 JWT access token for the API with the groups claim',
  async (user, groups) => {
    const token = await staffToken(cloud.url, user, LOCAL_IDENTITIES_FILE);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const { payload } = await verified(token);
    expect(payload).toMatchObject({
      sub: user,
      groups,
      email: `${user}@shop.example`,
      client_id: 'staff-cli',
      scope: config.resourceScope,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(config.accessTokenTtlSeconds);
  },
);

test('a wrong password is refused by the login form (401 page), and no token is issued', async () => {
  await expect(
    staffSignIn(cloud.url, {
      user: 'alice',
      password: 'not-her-password',
      audience: config.audience,
      scope: config.resourceScope,
    }),
  ).rejects.toThrow(new StaffSignInError('wrong user name or password for alice'));
  expect(lines.some((line) => line.includes('sign-in refused for "alice"'))).toBe(true);
  expect(lines.join('\n')).not.toContain('not-her-password');
});

test('the login page is a real HTML form with a restrictive CSP; the flow refuses an authorization request without PKCE', async () => {
  const start = await fetch(
    `${issuer}/auth?${new URLSearchParams({
      client_id: 'staff-cli',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    })}`,
    { redirect: 'manual' },
  );
  const cookie = start.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const page = await fetch(new URL(start.headers.get('location') as string, cloud.url), {
    headers: { cookie },
  });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  const html = await page.text();
  expect(html).toMatch(/<form method="post" action="\/oidc\/interaction\/[\w-]+\/login"/);
  expect(html).toContain('type="password"');

  const withoutPkce = await fetch(
    `${issuer}/auth?${new URLSearchParams({
      client_id: 'staff-cli',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'openid',
    })}`,
    { redirect: 'manual' },
  );
  expect(withoutPkce.headers.get('location')).toMatch(/error=invalid_request/);
});

test('client_credentials: a JWT for the API with no user and no groups; a wrong secret is invalid_client', async () => {
  const answer = await clientCredentials();
  expect(answer.status).toBe(200);
  const { access_token: token } = (await answer.json()) as { access_token: string };
  const { payload } = await verified(token);
  expect(payload).toMatchObject({ sub: robot?.clientId, client_id: robot?.clientId });
  expect(payload.groups).toBeUndefined();
  const wrong = await clientCredentials('wrong-secret');
  expect(wrong.status).toBe(401);
  expect(((await wrong.json()) as { error: string }).error).toBe('invalid_client');
});

test('the IdP follows the cloud clock: a token issued two hours back is already expired', async () => {
  cloud.clock.advance(-2 * 3600 * 1000);
  let token: string;
  try {
    token = await staffToken(cloud.url, 'alice', LOCAL_IDENTITIES_FILE);
  } finally {
    cloud.clock.reset();
  }
  expect((decodeJwt(token).exp ?? 0) * 1000).toBeLessThan(Date.now() - 3000 * 1000);
  await expect(verified(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
});

test('disk mode keeps the signing key (0600): tokens from before a restart still verify', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'idp-state-'));
  try {
    const first = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE, stateDir });
    const port = first.port;
    const token = await staffToken(first.url, 'bob', LOCAL_IDENTITIES_FILE);
    await first.stop();
    expect(statSync(path.join(stateDir, 'oidc', 'signing-key.json')).mode & 0o777).toBe(0o600);
    const second = await LocalCloud.start({ port, identitiesFile: LOCAL_IDENTITIES_FILE, stateDir });
    try {
      const jwks = createRemoteJWKSet(new URL(`${second.url}/oidc/jwks`));
      await expect(jwtVerify(token, jwks, { issuer: `${second.url}/oidc` })).resolves.toBeDefined();
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 30_000);

test('the proxy pins Host to the issuer: a forged Host changes no URL in discovery', async () => {
  const { request } = await import('node:http');
  const body = await new Promise<string>((resolve, reject) => {
    const sent = request(
      `${issuer}/.well-known/openid-configuration`,
      { headers: { host: 'evil.example.com', connection: 'x-secret', 'x-secret': '1' } },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => resolve(text));
      },
    );
    sent.on('error', reject);
    sent.end();
  });
  expect(body).not.toContain('evil.example.com');
  expect(JSON.parse(body)).toMatchObject({ issuer, token_endpoint: `${issuer}/token` });
});

test('a bad corporateIdp section: the cloud starts, says why in its log, and /oidc answers 404', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'idp-config-'));
  const file = path.join(dir, 'identities.json');
  const seed = JSON.parse(readFileSync(LOCAL_IDENTITIES_FILE, 'utf8')) as {
    corporateIdp: { staff: Array<{ password: string }> };
  };
  seed.corporateIdp.staff[0]!.password = 'short';
  writeFileSync(file, JSON.stringify(seed));
  const logged: string[] = [];
  const broken = await LocalCloud.start({ port: 0, identitiesFile: file, log: (line) => logged.push(line) });
  try {
    const answer = await fetch(`${broken.url}/oidc/.well-known/openid-configuration`);
    expect(answer.status).toBe(404);
    expect(logged.some((line) => line.includes('password must have at least 12 characters'))).toBe(true);
  } finally {
    await broken.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
