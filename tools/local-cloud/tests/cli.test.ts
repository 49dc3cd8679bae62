import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';

const BIN = path.join(__dirname, '..', 'bin', 'local-cloud.cjs');

/** `npx local-cloud <args>` in its own process (never synchronously: the test process may hold a cloud). */
async function localCloud(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npx local-cloud start on a port that is taken', () => {
  let stateDir: string;

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'cli-state-'));
  });

  afterEach(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('says another program holds it, and how to pick another port, before packaging anything', async () => {
    // Arrange
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = String((squatter.address() as { port: number }).port);

    // Act
    const run = await localCloud(['start'], { LOCAL_CLOUD_PORT: port, LOCAL_CLOUD_DIR: stateDir });
    squatter.close();

    // Assess: no "packaging" line (that takes seconds per service), and the way out.
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('packaging');
    expect(run.stderr).toContain(`Port ${port} is in use by another program`);
    expect(run.stderr).toContain(`LOCAL_CLOUD_PORT=${Number(port) + 1} npm start`);
  }, 60_000);

  it('says a local cloud already runs there when its health endpoint answers', async () => {
    // Arrange
    const cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    const { port } = cloud;

    // Act
    let run: Awaited<ReturnType<typeof localCloud>>;
    try {
      run = await localCloud(['start'], { LOCAL_CLOUD_PORT: String(port), LOCAL_CLOUD_DIR: stateDir });
    } finally {
      await cloud.stop();
    }

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`A local cloud already runs at http://127.0.0.1:${port}`);
  }, 60_000);
});
