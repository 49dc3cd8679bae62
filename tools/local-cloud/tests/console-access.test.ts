import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';

// The console (/_local/console) names every caller and decision: only a browser tab opened with a one-time sign-in
// link may read it, and only from its own origin. Checked over real HTTP against a started local cloud.
describe('the local console lets in only its own signed-in page', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  const signIn = async () => {
    const link = await fetch(cloud.consoleUrl(), { redirect: 'manual' });
    return { link, cookie: (link.headers.get('set-cookie') ?? '').split(';')[0] as string };
  };

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
