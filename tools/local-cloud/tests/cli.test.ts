import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { removeIsolatedBuilds } from '../src/cli/package-service';
import { startCli, type RunningCli } from '../src/testing/cli-process';
import { freePort } from '../src/testing/free-port';

const BIN = path.join(__dirname, '..', 'bin', 'local-cloud.cjs');
const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'notes-service');

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
    const run = await localCloud(['start', '--deploy', FIXTURE_DIR], {
      LOCAL_CLOUD_PORT: port,
      LOCAL_CLOUD_DIR: stateDir,
    });
    squatter.close();

    // Assess: no "packaging" line (that takes seconds per service), and the way out.
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('packaging');
    expect(run.stderr).toContain(`Port ${port} is in use by another program`);
    expect(run.stderr).toContain(
      `LOCAL_CLOUD_PORT=${Number(port) + 1} npx local-cloud start --deploy ${FIXTURE_DIR}`,
    );
  }, 60_000);

  it("fails a service that does not build with esbuild's error, without waiting for the esbuild left running", async () => {
    // Act: serverless-esbuild 1.57 keeps esbuild's service process (and so serverless) alive after a failed build.
    const run = await localCloud(['start', '--deploy', path.join(__dirname, 'fixtures', 'broken-service')], {
      LOCAL_CLOUD_PORT: String(await freePort()),
      LOCAL_CLOUD_DIR: stateDir,
    });

    const broken = path.join(__dirname, 'fixtures', 'broken-service');
    for (const output of ['.esbuild', '.serverless'])
      rmSync(path.join(broken, output), { recursive: true, force: true });

    // Assess: failed within the test's timeout (not after the 300 s packaging timeout), saying what to fix.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('- packaging broken-service (serverless package --stage local)... failed');
    expect(run.stderr).toContain('Could not resolve "no-such-module"');
    expect(run.stderr).toContain('stopped: it reported the error above and did not exit');
  }, 60_000);

  it('packages several services side by side, and reports every one that fails before anything listens', async () => {
    // Arrange
    const port = await freePort();
    const broken = path.join(__dirname, 'fixtures', 'broken-service');
    const notes = path.join(__dirname, 'fixtures', 'notes-service');

    // Act
    const run = await localCloud(['start', '--deploy', broken, '--deploy', notes], {
      LOCAL_CLOUD_PORT: String(port),
      LOCAL_CLOUD_DIR: stateDir,
    });
    const listening = await fetch(`http://127.0.0.1:${port}/_local/health`).then(
      () => true,
      () => false,
    );
    for (const dir of [broken, notes])
      for (const output of ['.esbuild', '.serverless'])
        rmSync(path.join(dir, output), { recursive: true, force: true });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '- packaging broken-service, notes-service (serverless package --stage local, side by side)',
    );
    expect(run.stdout).toMatch(/ {2}notes-service packaged in \d+\.\ds/);
    expect(run.stdout).toContain('  broken-service failed');
    expect(run.stderr).toContain('broken-service: ');
    expect(run.stderr).toContain('Could not resolve "no-such-module"');
    expect(listening).toBe(false);
  }, 90_000);

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

// The local cloud as a tool for a service that is not this repo's: `start --deploy <dir>`, `status`, `remove`, on
// tests/fixtures/notes-service (its own serverless.yml and handlers), enforced as AWS would.
describe('npx local-cloud with a Serverless service of your own', () => {
  const FIXTURE = path.join(__dirname, 'fixtures', 'notes-service');
  let stateDir: string;
  let env: Record<string, string>;
  let cloud: RunningCli | undefined;
  let endpoint: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'cli-notes-'));
    env = { LOCAL_CLOUD_PORT: String(await freePort()), LOCAL_CLOUD_DIR: stateDir };
    cloud = await startCli(process.execPath, [BIN, 'start', '--deploy', FIXTURE], {
      env: { ...process.env, ...env },
    });
    endpoint = /\n {2}notes-service-local\n {4}(\S+)/.exec(cloud.output())?.[1] as string;
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(path.join(FIXTURE, '.serverless'), { recursive: true, force: true });
    removeIsolatedBuilds();
  });

  it('deploys it, prints its endpoint, and enforces its routes: signed, unsigned, and its role', async () => {
    // Arrange
    const developer = createSignedFetch({ credentials: seededUserKeys('developer'), region: 'us-east-1' });

    // Act
    const put = await developer(`${endpoint}/notes/n1`, { method: 'PUT', body: 'hello' });
    const unsigned = await fetch(`${endpoint}/notes/n1`);
    const get = await developer(`${endpoint}/notes/n1`);

    // Assess
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/restapis\/\w+\/local\/_user_request_$/);
    expect({ status: put.status, body: await put.json() }).toEqual({
      status: 200,
      body: { id: 'n1', text: 'hello', by: 'arn:aws:iam::000000000000:user/developer' },
    });
    expect(unsigned.status).toBe(403);
    expect(await get.json()).toEqual({
      error: 'AccessDeniedException',
      message: expect.stringMatching(
        /^User: arn:aws:sts::000000000000:assumed-role\/notes-service-local-getNote-us-east-1-lambdaRole\/notes-service-local-getNote is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/notes-service-local-notes because no identity-based policy allows the dynamodb:GetItem action$/,
      ),
    });
  }, 60_000);

  it('redeploys with deploy, says what runs with status, removes the stack with remove, exits 2 on bad usage', async () => {
    // Act
    const redeployed = await localCloud(['deploy', FIXTURE], env);
    // The admin token is read from this CLI's own state folder only, never from one the answering server names.
    const elsewhere = await localCloud(['deploy', FIXTURE], {
      ...env,
      LOCAL_CLOUD_DIR: path.join(stateDir, 'other'),
    });
    const status = await localCloud(['status'], env);
    const removed = await localCloud(['remove', FIXTURE], env);
    const after = await localCloud(['status'], env);
    const unknown = await localCloud(['deploy'], env);
    const extra = await localCloud(['remove', FIXTURE, '--stage', 'dev'], env);
    const flagAsDir = await localCloud(['start', '--deploy', '--shop'], env);
    const help = await localCloud(['deploy', '--help'], env);

    // Assess
    expect(redeployed).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`- deployed notes-service-local\n  ${endpoint}`),
    });
    expect(elsewhere).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`keeps its state in ${stateDir}`),
    });
    expect(status).toMatchObject({ code: 0 });
    expect(status.stdout).toContain('notes-service-local  UPDATE_COMPLETE');
    expect(removed).toMatchObject({ code: 0, stdout: '- removed notes-service-local\n' });
    expect(after.stdout).toContain('No stacks deployed.');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('deploy: which service? Give its folder.');
    expect(extra).toMatchObject({ code: 2, stderr: expect.stringContaining('remove: unexpected --stage') });
    expect(flagAsDir).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('start: unexpected --deploy'),
    });
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/^local-cloud deploy <service dir>/);
  }, 60_000);
});
