import { createServer } from 'node:net';

/**
 * A loopback port free right now, for a test that must know the local cloud's port before it starts: a service
 * packaged for stage `local` bakes `http://127.0.0.1:$LOCAL_CLOUD_PORT/oidc` (the local IdP's issuer) into its
 * template. Another process could take it in between; the cloud's start then fails loudly (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
