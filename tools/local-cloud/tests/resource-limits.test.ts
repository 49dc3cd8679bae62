import { connect, type Socket } from 'node:net';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';

// One client must not exhaust the cloud. A security review held 60 half-sent 10 MB uploads open and the cloud
// buffered 600 MB before any authentication. Now: a declared body over API Gateway's 10 MB limit is refused
// from its Content-Length, a request for no route is refused before its body is read, bodies in memory are
// capped across connections, and slow headers or bodies time out.
// Limits: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (10 MB payload).

/** A raw connection: what it receives, and when the server closes it. */
function rawClient(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => resolve({ socket, received: () => text, closed }));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined); // a reset by the server is what some tests expect
    socket.once('error', reject);
  });
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);

describe('resource limits of the local cloud', () => {
  let cloud: LocalCloud;
  let stagePath: string;

  beforeAll(async () => {
    cloud = await LocalCloud.start({
      port: 0,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      limits: {
        maxConnections: 20,
        maxInflightBytes: 1024 * 1024,
        headersTimeoutMs: 500,
        requestTimeoutMs: 1500,
      },
    });
    // 5 s: echoing 900 KB (5 MB of JSON escapes back) takes 0.3-0.9 s here, past the probe's default 1 s when busy.
    stagePath = new URL((await deployProbeStack(cloud, { timeoutSeconds: 5 })).url).pathname;
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  const head = (path: string, contentLength: number) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${contentLength}\r\n\r\n`;

  it('answers 413 from a Content-Length over 10 MB, before any of the body is sent', async () => {
    // Arrange
    const client = await rawClient(cloud.port);

    // Act
    client.socket.write(head(`${stagePath}/upload`, 10 * 1024 * 1024 + 1));
    await within(client.closed, 2000, 'the answer and the close');

    // Assess
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(client.received()).toContain('HTTP content length exceeded 10485760 bytes.');
  });

  it('refuses a request for no route before reading its body', async () => {
    // Arrange: 5 MB announced, none sent.
    const client = await rawClient(cloud.port);

    // Act
    client.socket.write(head('/restapis/nosuchapi1/test/_user_request_/upload', 5 * 1024 * 1024));
    await within(client.closed, 2000, 'the answer and the close');

    // Assess
    expect(client.received()).toMatch(/^HTTP\/1\.1 403 /);
    expect(client.received()).toContain('{"message":"Missing Authentication Token"}');
    expect(cloud.accessLog.at(-1)).toMatchObject({ apiId: 'nosuchapi1', status: 403 });
  });

  it('caps the request bytes held in memory across connections: a body past the cap gets 503', async () => {
    // Arrange: two half-sent uploads of 600 KB each against a 1 MB cap.
    const first = await rawClient(cloud.port);
    const second = await rawClient(cloud.port);
    first.socket.write(head(`${stagePath}/upload`, 2 * 1024 * 1024));
    first.socket.write(Buffer.alloc(600 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Act
    second.socket.write(head(`${stagePath}/upload`, 2 * 1024 * 1024));
    second.socket.write(Buffer.alloc(600 * 1024));
    await within(second.closed, 2000, 'the refusal');

    // Assess: refused; once the first upload is gone its bytes are free again, so 900 KB fit.
    expect(second.received()).toMatch(/^HTTP\/1\.1 503 /);
    first.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await fetch(`${cloud.url}${stagePath}/after`, {
      method: 'POST',
      body: new Uint8Array(900 * 1024),
    });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { bytes: number }).bytes).toBe(900 * 1024);
  });

  it('closes a connection whose headers do not arrive in time', async () => {
    // Arrange
    const client = await rawClient(cloud.port);

    // Act: half a request line, then nothing.
    client.socket.write(`GET ${stagePath}/slow`);
    await within(client.closed, 3000, 'the close');

    // Assess
    expect(client.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('frees the bytes of a client that goes away mid-body, without an internal error', async () => {
    // Arrange
    const logs: string[] = [];
    const logging = await LocalCloud.start({
      port: 0,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => logs.push(line),
      limits: { maxInflightBytes: 1024 * 1024 },
    });
    try {
      // A 5 s timeout: the echo of 900 KB on a cold environment can pass the probe's 1 s on a busy CI machine.
      const path = new URL((await deployProbeStack(logging, { stackName: 'abort', timeoutSeconds: 5 })).url)
        .pathname;
      const client = await rawClient(logging.port);

      // Act: 800 KB of a 1 MB upload, then the client is gone; then 900 KB from another.
      client.socket.write(head(`${path}/upload`, 1024 * 1024));
      client.socket.write(Buffer.alloc(800 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const after = await fetch(`${logging.url}${path}/after`, {
        method: 'POST',
        body: new Uint8Array(900 * 1024),
      });

      // Assess
      expect(after.status).toBe(200);
      expect(logs.filter((line) => line.includes('Internal error'))).toEqual([]);
    } finally {
      await logging.stop();
    }
  });

  it('closes a connection whose body does not arrive in time', async () => {
    // Arrange
    const client = await rawClient(cloud.port);

    // Act: headers announce 1000 bytes, 10 arrive.
    client.socket.write(head(`${stagePath}/slow-body`, 1000));
    client.socket.write('x'.repeat(10));
    await within(client.closed, 4000, 'the close');

    // Assess
    expect(client.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('caps open connections: one over the cap is closed at once, the others keep working', async () => {
    // Arrange: 20 idle connections fill the cap.
    const idle = await Promise.all(Array.from({ length: 20 }, () => rawClient(cloud.port)));

    // Act
    const extra = await rawClient(cloud.port);
    await within(extra.closed, 2000, 'the close of the connection over the cap');
    idle[0]?.socket.write(`GET ${stagePath}/still-there HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess
    expect(extra.received()).toBe('');
    expect(idle[0]?.received()).toMatch(/^HTTP\/1\.1 200 /);
    for (const client of idle) client.socket.destroy();
  });
});
