import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';

// Lambda proxy integration results and limits, as API Gateway maps them:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (10 MB payload, 29 s integration)
describe('API Gateway proxy integration on the local cloud', () => {
  let cloud: LocalCloud;
  let url: string;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    ({ url } = await deployProbeStack(cloud));
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it('passes a body through and answers with the function result', async () => {
    // Act
    const response = await fetch(`${url}/echo`, { method: 'POST', body: 'x'.repeat(1000) });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: 'POST', path: '/echo', bytes: 1000 });
  });

  it('returns binary bodies byte for byte when the result is base64-encoded', async () => {
    // Act
    const response = await fetch(`${url}/binary`, { headers: { accept: 'application/octet-stream' } });

    // Assess
    expect(response.status).toBe(200);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 255, 1, 254]);
  });

  it('answers 413 to a body over 10 MB', async () => {
    // Act
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      body: new Uint8Array(10 * 1024 * 1024 + 1),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('answers 500 without calling the function when no AWS::Lambda::Permission lets API Gateway invoke it', async () => {
    // "The Invalid permissions on Lambda function error occurs when API Gateway doesn't have permissions to invoke
    // the Lambda function" (https://repost.aws/knowledge-center/api-gateway-internal-server-error); the client
    // sees 500 Internal server error, the access log errorResponseType API_CONFIGURATION_ERROR.
    const lines: string[] = [];
    const strict = await LocalCloud.start({
      port: 0,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => lines.push(line),
    });
    try {
      const { url: unpermitted } = await deployProbeStack(strict, { withoutInvokePermission: true });
      const response = await fetch(`${unpermitted}/echo`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
      expect(lines.some((line) => line.includes('Invalid permissions on Lambda function'))).toBe(true);
      // The integration never ran: no integration latency, the reason in the access log.
      expect(strict.accessLog.at(-1)).toMatchObject({
        status: 500,
        integrationLatencyMs: null,
        authError: 'Invalid permissions on Lambda function',
      });
    } finally {
      await strict.stop();
    }
  }, 30_000);

  it("runs the function on the local cloud's clock: moved, Date moves with it; back, back with it", async () => {
    // Act
    cloud.clock.advance(3_600_000);
    let moved: { now: number; date: string; dateCall: string };
    try {
      moved = (await (await fetch(`${url}/clock`)).json()) as typeof moved;
    } finally {
      cloud.clock.reset();
    }
    const back = (await (await fetch(`${url}/clock`)).json()) as { now: number };

    // Assess
    expect(Math.abs(moved.now - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(moved.date) - moved.now)).toBeLessThan(1_000);
    expect(moved.dateCall).toBe('string'); // Date() called without new still returns text
    expect(Math.abs(back.now - Date.now())).toBeLessThan(5_000);
  });

  it('answers 502 Internal server error to a malformed proxy result', async () => {
    // Act
    const response = await fetch(`${url}/malformed`);

    // Assess
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers 502 when the function throws', async () => {
    // Act
    const response = await fetch(`${url}/throws`);

    // Assess
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers 504 when the function runs past its timeout, and serves the next request', async () => {
    // Act
    const slow = await fetch(`${url}/slow`);
    const next = await fetch(`${url}/echo`, { method: 'POST', body: 'ok' });

    // Assess
    expect(slow.status).toBe(504);
    expect(await slow.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(next.status).toBe(200);
  }, 20_000);

  it('does not count a slow cold start against the function timeout (the init phase has its own 10 s)', async () => {
    // Arrange: module code that takes 1.5 s to load, in a function whose timeout is 1 s
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, "Init phase").
    const { url: slowInit } = await deployProbeStack(cloud, {
      stackName: 'slow-init',
      timeoutSeconds: 1,
      handlerSource: `const end = Date.now() + 1500; while (Date.now() < end);
exports.handler = async () => ({ statusCode: 200, body: 'warm now' });`,
    });

    // Act
    const first = await fetch(`${slowInit}/any`);

    // Assess
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('warm now');
    await cloud.remove('slow-init');
  }, 20_000);
});
