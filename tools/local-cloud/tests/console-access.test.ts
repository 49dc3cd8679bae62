import { randomBytes } from 'node:crypto';
import { CONSOLE_COOKIE, ConsoleSessions } from '../src/console';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { cognitoClient, createConfirmedUser, passwordTokens } from '../src/testing/cognito-helpers';
import { ALLOW_API_AUTHORIZER, deployProbeStack } from '../src/testing/probe-stack';
import { deployUserPoolStack } from '../src/testing/user-pool-stack';

// The console (/_local/console) names every caller and decision: only a browser tab opened with a one-time sign-in
// link may read it, and only from its own origin. Checked over real HTTP against a started local cloud.
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
});

afterAll(async () => {
  await cloud?.stop();
});

/** A session cookie, from a fresh one-time link. */
const signIn = async () => {
  const link = await fetch(cloud.consoleUrl(), { redirect: 'manual' });
  return { link, cookie: (link.headers.get('set-cookie') ?? '').split(';')[0] as string };
};

describe('the local console lets in only its own signed-in page', () => {
  it('signs in once with a link, then reads the state with the session cookie', async () => {
    // Prepare
    const url = cloud.consoleUrl();

    // Act
    const first = await fetch(url, { redirect: 'manual' });
    const again = await fetch(url, { redirect: 'manual' });
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const state = await fetch(`${cloud.url}/_local/console/api/state`, { headers: { cookie } });

    // Assess
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/_local/console/');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(again.status).toBe(401);
    expect(state.status).toBe(200);
    expect(state.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await state.json()).toMatchObject({ accountId: '000000000000', stacks: [] });
  });

  it.each([
    ['no session', {}],
    ['a made-up session', { cookie: 'local-cloud-console=guess' }],
  ])('refuses the state with %s', async (_case, headers: Record<string, string>) => {
    // Act
    const answer = await fetch(`${cloud.url}/_local/console/api/state`, { headers });

    // Assess
    expect(answer.status).toBe(401);
  });

  it.each([
    ['another site', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Origin', { origin: 'http://evil.example' }],
  ])('refuses a signed-in request from %s', async (_case, headers: Record<string, string>) => {
    // Prepare
    const { cookie } = await signIn();

    // Act
    const answer = await fetch(`${cloud.url}/_local/console/api/state`, { headers: { ...headers, cookie } });

    // Assess
    expect(answer.status).toBe(403);
  });

  it('answers the live log with entries after a sequence number, and a bad one with 400', async () => {
    // Prepare
    const { cookie } = await signIn();
    const first = (await (
      await fetch(`${cloud.url}/_local/console/api/requests`, { headers: { cookie } })
    ).json()) as { sequence: number };
    await fetch(`${cloud.url}/restapis/nope/local/_user_request_/x`);

    // Act
    const next = await fetch(`${cloud.url}/_local/console/api/requests?after=${first.sequence}`, {
      headers: { cookie },
    });
    const bad = await fetch(`${cloud.url}/_local/console/api/requests?after=-1`, { headers: { cookie } });

    // Assess
    const body = (await next.json()) as { requests: Array<{ path: string; decision: { check: string } }> };
    expect(body.requests).toEqual([
      expect.objectContaining({ path: '/x', decision: expect.objectContaining({ check: 'routing' }) }),
    ]);
    expect(bad.status).toBe(400);
  });
});

describe('the live log under load', () => {
  it('sends the newest 100 entries of a burst and counts the rest as skipped', async () => {
    // Prepare
    const { cookie } = await signIn();
    const first = (await (
      await fetch(`${cloud.url}/_local/console/api/requests`, { headers: { cookie } })
    ).json()) as { sequence: number };
    for (let i = 0; i < 130; i += 1) await fetch(`${cloud.url}/restapis/nope/local/_user_request_/n${i}`);

    // Act
    const answer = (await (
      await fetch(`${cloud.url}/_local/console/api/requests?after=${first.sequence}`, { headers: { cookie } })
    ).json()) as { sequence: number; skipped: number; requests: Array<{ path: string }> };

    // Assess
    expect({
      sequence: answer.sequence - first.sequence,
      skipped: answer.skipped,
      sent: answer.requests.length,
      oldest: answer.requests[0]?.path,
      newest: answer.requests.at(-1)?.path,
    }).toEqual({ sequence: 130, skipped: 30, sent: 100, oldest: '/n30', newest: '/n129' });
  });
});

describe('what the console sends to the browser', () => {
  it('never holds a password, a token, a client secret, an authorizer identity or a key', async () => {
    // Prepare: a user who signed in, a partner's client_credentials token, a cached Lambda-authorizer answer.
    const password = `Pw-${randomBytes(8).toString('hex')}-9`;
    const pool = await deployUserPoolStack(cloud);
    const cognito = cognitoClient(cloud.url);
    await createConfirmedUser(cognito, pool.poolId, 'ana@example.com', password);
    const tokens = await passwordTokens(cognito, pool.webClientId, 'ana@example.com', password);
    const partner = await fetch(`${cloud.url}/_aws/cognito-idp/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${pool.partnerClientId}:${pool.partnerClientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const partnerToken = ((await partner.json()) as { access_token: string }).access_token;
    const { url } = await deployProbeStack(
      cloud,
      { stackName: 'cached', authorizationType: 'CUSTOM', lambdaAuthorizer: { type: 'TOKEN' } },
      ALLOW_API_AUTHORIZER,
    );
    const identity = `identity-${randomBytes(12).toString('hex')}`;
    const allowed = await fetch(`${url}/hello`, { headers: { authorization: identity } });
    const { cookie } = await signIn();

    // Act
    const state = await (
      await fetch(`${cloud.url}/_local/console/api/state`, { headers: { cookie } })
    ).text();
    const log = await (
      await fetch(`${cloud.url}/_local/console/api/requests`, { headers: { cookie } })
    ).text();

    // Assess: what is shown is there, and none of the secrets is, in either answer.
    expect(allowed.status).toBe(200);
    expect(JSON.parse(state)).toMatchObject({
      userPools: [
        expect.objectContaining({ users: [expect.objectContaining({ username: expect.any(String) })] }),
      ],
      authorizerCache: [expect.objectContaining({ principalId: 'bench', ttlSeconds: 300 })],
    });
    expect(log).toContain('"principal"');
    const secrets = {
      password,
      temporaryPassword: 'Temporary-Pass-1',
      idToken: tokens.id,
      accessToken: tokens.access,
      refreshToken: tokens.refresh,
      partnerToken,
      partnerClientSecret: pool.partnerClientSecret,
      secretClientSecret: pool.secretClientSecret,
      authorizerIdentity: identity,
      secretAccessKey: seededUserKeys('developer').secretAccessKey,
      adminToken: cloud.adminToken.value,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length).toBeGreaterThan(8);
      expect({ name, inState: state.includes(secret), inLog: log.includes(secret) }).toEqual({
        name,
        inState: false,
        inLog: false,
      });
    }
  }, 60_000);
});

describe('console sign-in links', () => {
  it('work once, and for five minutes after they are made', () => {
    // Prepare
    let now = 1_000_000;
    const sessions = new ConsoleSessions(() => now);
    const late = sessions.newLink();
    const inTime = sessions.newLink();

    // Act
    now += 5 * 60_000;
    const expired = sessions.signIn(late);
    now -= 1;
    const fresh = sessions.signIn(inTime);
    const reused = sessions.signIn(inTime);

    // Assess
    expect(expired).toBeUndefined();
    expect(fresh).toEqual(expect.any(String));
    expect(reused).toBeUndefined();
    expect(sessions.isSignedIn(`${CONSOLE_COOKIE}=${fresh}`)).toBe(true);
  });
});
