import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { connectionOwnedBy } from './connection-owner';

// Real loopback connections, looked up in this machine's /proc (Linux; elsewhere the answer is "cannot tell").
const linux = process.platform === 'linux';
const maybe = linux ? describe : describe.skip;

maybe('connectionOwnedBy', () => {
  let server: Server;
  let port: number;
  const accepted: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    accepted.forEach((socket) => socket.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  const open = () =>
    new Promise<Socket>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
    });

  it('names the process that holds a connection, and no other', async () => {
    // Prepare: a process of our own that holds no socket to the server.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    const client = await open();
    try {
      // Act
      const ours = connectionOwnedBy(client.localPort as number, port, [process.pid]);
      const theirs = connectionOwnedBy(client.localPort as number, port, [other.pid as number]);

      // Assess
      expect({ ours, theirs }).toEqual({ ours: true, theirs: false });
    } finally {
      client.destroy();
      other.kill();
    }
  });

  it('cannot tell for a connection that does not exist, and for one its holder closed (TIME_WAIT)', async () => {
    // Prepare: the client closes first, so its side waits in TIME_WAIT with no owner (inode 0).
    const client = await open();
    const clientPort = client.localPort as number;
    await new Promise<void>((resolve) => client.end(resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    accepted.forEach((socket) => socket.destroy());
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Act
    const closed = connectionOwnedBy(clientPort, port, [process.pid]);
    const none = connectionOwnedBy(1, port, [process.pid]);

    // Assess: "cannot tell" is what the local cloud refuses on Linux, never "a tool's".
    expect({ closed, none }).toEqual({ closed: undefined, none: undefined });
  });
});
