import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignedFetch } from './create-signed-fetch';
import { TimeoutError } from './errors';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const URL_ = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/customers/42?b=2&a=1&a=0';

function recordingFetch(statuses: number[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: URL, init: RequestInit) => {
    calls.push({ url: url.toString(), init });
    return new Response('{}', { status: statuses[Math.min(calls.length - 1, statuses.length - 1)] });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

describe('createSignedFetch', () => {
  it('signs with the region and service inferred from an execute-api URL and sends the URL unchanged', async () => {
    const { calls, fetchFn } = recordingFetch([200]);
    const signedFetch = createSignedFetch({
      credentials,
      fetch: fetchFn,
      now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
    });

    await signedFetch(URL_);

    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.url).toBe(URL_);
    expect(headers['x-amz-date']).toBe('20260102T030405Z');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('resolves credentials once for many concurrent requests', async () => {
    const { fetchFn } = recordingFetch([200]);
    const provider = jest.fn(async () => ({
      ...credentials,
      sessionToken: 'token',
      expiration: new Date(Date.now() + 3_600_000),
    }));
    const signedFetch = createSignedFetch({ credentials: provider, fetch: fetchFn });

    await Promise.all(Array.from({ length: 10 }, () => signedFetch(URL_)));

    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('retries an idempotent GET on 503 with a fresh signature, and never retries a POST', async () => {
    const get = recordingFetch([503, 200]);
    const post = recordingFetch([503, 200]);
    let clock = 0;
    const options = { credentials, retry: { baseDelayMs: 1 }, now: () => (clock += 1000) };

    const getResponse = await createSignedFetch({ ...options, fetch: get.fetchFn })(URL_);
    const postResponse = await createSignedFetch({ ...options, fetch: post.fetchFn })(URL_, {
      method: 'POST',
      body: '{}',
    });

    expect([getResponse.status, get.calls.length]).toEqual([200, 2]);
    const dates = get.calls.map((call) => (call.init.headers as Record<string, string>)['x-amz-date']);
    expect(new Set(dates).size).toBe(2);
    expect([postResponse.status, post.calls.length]).toEqual([503, 1]);
  });

  it('corrects its clock from the Date header after "Signature expired" and retries once', async () => {
    const calls: string[] = [];
    const fetchFn = (async (_url: URL, init: RequestInit) => {
      const date = (init.headers as Record<string, string>)['x-amz-date'] as string;
      calls.push(date);
      return calls.length === 1
        ? new Response('{"message":"Signature expired: 20200101T000000Z is now earlier than ..."}', {
            status: 403,
            headers: { date: 'Fri, 02 Jan 2026 03:04:05 GMT' },
          })
        : new Response('{}', { status: 200 });
    }) as unknown as typeof fetch;
    const signedFetch = createSignedFetch({ credentials, fetch: fetchFn, now: () => Date.UTC(2020, 0, 1) });

    const response = await signedFetch(URL_);

    expect(response.status).toBe(200);
    expect(calls).toEqual(['20200101T000000Z', '20260102T030405Z']);
  });

  it('throws TimeoutError when the overall budget runs out', async () => {
    const never = ((_url: URL, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )) as unknown as typeof fetch;

    await expect(
      createSignedFetch({ credentials, fetch: never, timeoutMs: 50 })(URL_),
    ).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('createSignedFetch over real HTTP: redirects, clock offsets, plus signs', () => {
  interface Seen {
    url: string;
    authorization?: string;
    token?: string;
    date?: string;
  }
  const servers: Server[] = [];

  /** A loopback server (its own origin) answering with `answer`, recording what reached it. */
  async function server(answer: (request: IncomingMessage, response: ServerResponse) => void) {
    const seen: Seen[] = [];
    const created = createServer((request, response) => {
      seen.push({
        url: request.url ?? '',
        authorization: request.headers.authorization,
        token: request.headers['x-amz-security-token'] as string | undefined,
        date: request.headers['x-amz-date'] as string | undefined,
      });
      answer(request, response);
    });
    servers.push(created);
    await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
    return { seen, origin: `http://127.0.0.1:${(created.address() as AddressInfo).port}` };
  }

  const sessionCredentials = { ...credentials, sessionToken: 'SESSION-TOKEN-SECRET' };
  const scope = { region: 'us-east-1', service: 'execute-api' };

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('never follows a redirect to another origin: the credentials stay with the API', async () => {
    // Arrange
    const elsewhere = await server((_, response) => response.end('not the API'));
    const api = await server((_, response) =>
      response.writeHead(302, { location: `${elsewhere.origin}/steal` }).end(),
    );

    // Act: even when asked to follow.
    const response = await createSignedFetch({ ...scope, credentials: sessionCredentials })(
      `${api.origin}/orders`,
      { redirect: 'follow' },
    );

    // Assess
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${elsewhere.origin}/steal`);
    expect(elsewhere.seen).toEqual([]);
  });

  it('returns a redirect as it is by default; with redirect: follow, follows a same-origin GET signed anew', async () => {
    // Arrange
    const api = await server((request, response) =>
      request.url === '/old'
        ? response.writeHead(307, { location: '/new' }).end()
        : response.writeHead(200).end('moved'),
    );
    const signedFetch = createSignedFetch({ ...scope, credentials: sessionCredentials });

    // Act
    const byDefault = await signedFetch(`${api.origin}/old`);
    const followed = await signedFetch(`${api.origin}/old`, { redirect: 'follow' });
    const post = await signedFetch(`${api.origin}/old`, { method: 'POST', body: '{}', redirect: 'follow' });
    const refused = signedFetch(`${api.origin}/old`, { redirect: 'error' });

    // Assess
    expect(byDefault.status).toBe(307);
    expect([followed.status, await followed.text()]).toEqual([200, 'moved']);
    const [, old, moved] = api.seen;
    expect(moved?.url).toBe('/new');
    expect(moved?.authorization).toMatch(/Signature=[0-9a-f]{64}$/);
    expect(moved?.authorization).not.toBe(old?.authorization);
    expect(post.status).toBe(307); // a body is never re-sent to where a redirect points
    await expect(refused).rejects.toThrow("was redirected (redirect: 'error')");
  });

  it('stops after 5 same-origin redirects', async () => {
    // Arrange
    const loop = await server((_, response) => response.writeHead(302, { location: '/again' }).end());

    // Act
    const response = await createSignedFetch({ ...scope, credentials })(`${loop.origin}/start`, {
      redirect: 'follow',
    });

    // Assess
    expect(response.status).toBe(302);
    expect(loop.seen).toHaveLength(6);
  });

  it('applies a clock offset learned from one host to that host only', async () => {
    // Arrange: host A's clock is a day ahead and says so once; host B agrees with ours.
    const ahead = 'Sat, 03 Jan 2026 03:04:05 GMT';
    let refusedOnce = false;
    const a = await server((_, response) => {
      if (refusedOnce) return response.end('ok');
      refusedOnce = true;
      response.writeHead(403, { date: ahead }).end('{"message":"Signature not yet current: ..."}');
    });
    const b = await server((_, response) => response.end('ok'));
    const signedFetch = createSignedFetch({
      ...scope,
      credentials,
      now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
    });

    // Act
    await signedFetch(`${a.origin}/x`);
    await signedFetch(`${b.origin}/x`);

    // Assess
    expect(a.seen.map((seen) => seen.date)).toEqual(['20260102T030405Z', '20260103T030405Z']);
    expect(b.seen.map((seen) => seen.date)).toEqual(['20260102T030405Z']);
  });

  it('sends a raw + of the query as %2B: what it signed (a plus) is what API Gateway reads', async () => {
    // Arrange
    const api = await server((_, response) => response.end('ok'));
    const signedFetch = createSignedFetch({ ...scope, credentials, now: () => Date.UTC(2026, 0, 2) });

    // Act
    await signedFetch(`${api.origin}/search?q=a+b`);
    await signedFetch(`${api.origin}/search?q=a%2Bb`);

    // Assess
    const [raw, encoded] = api.seen;
    expect(raw?.url).toBe('/search?q=a%2Bb');
    expect(raw?.authorization).toBe(encoded?.authorization);
  });
});
