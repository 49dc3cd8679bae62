import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { packedProject, type PackedProject } from '@sigv4-auth/testing';
import { startCli, type RunningCli } from '../src/testing/cli-process';
import { freePort } from '../src/testing/free-port';

// The local cloud as someone adopts it: `npm pack` of what would be published (scripts/pack-packages.mjs), installed
// with the signing CLI into a project outside this repo that has its own Serverless service (the notes-service
// fixture, its own osls, plugins and SDK), then `npx local-cloud start`, `deploy` and `npx signed-fetch` there.
describe('@sigv4-auth/local-cloud installed from its tarball into a project of your own', () => {
  let project: PackedProject;
  let cloud: RunningCli | undefined;
  let env: NodeJS.ProcessEnv;

  const run = async (bin: string, args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(project.bin(bin), args, {
        cwd: project.dir,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    project = await packedProject({
      packages: ['@sigv4-auth/local-cloud', '@sigv4-auth/signed-fetch-cli'],
      // What the service itself needs: its Serverless CLI, plugins, and the SDK its handlers import.
      dependencies: [
        'osls',
        'serverless-esbuild',
        'esbuild',
        'serverless-iam-roles-per-function',
        '@aws-sdk/client-dynamodb',
        '@aws-sdk/lib-dynamodb',
      ],
      prefix: 'local-cloud-user-',
    });
    cpSync(path.join(__dirname, 'fixtures/notes-service'), path.join(project.dir, 'notes-service'), {
      recursive: true,
      filter: (source) => !/[\\/]\.(serverless|esbuild)$/.test(source),
    });
    // Only what a user's shell has: no repo paths, no AWS settings of this machine.
    env = {
      PATH: process.env.PATH,
      HOME: project.dir,
      LOCAL_CLOUD_PORT: String(await freePort()),
    };
  }, 300_000);

  afterAll(async () => {
    await cloud?.stop();
    project?.remove();
  });

  it('installs compiled JavaScript, types and its seeded identities: no TypeScript sources, no tsx', async () => {
    // Act
    const { stdout: tsxTree } = await promisify(execFile)('npm', ['ls', 'tsx', '--json'], {
      cwd: project.dir,
      encoding: 'utf8',
    });
    const installed = path.join(project.dir, 'node_modules/@sigv4-auth/local-cloud');

    // Assess
    expect(readdirSync(installed).sort()).toEqual([
      'README.md',
      'bin',
      'console',
      'dist',
      'identities.json',
      'package.json',
    ]);
    for (const file of [
      'dist/index.d.ts',
      'dist/lambda/runtime-process.js',
      'dist/idp/oidc-worker.mjs',
      'console/index.html',
    ])
      expect(existsSync(path.join(installed, file))).toBe(true);
    expect(existsSync(path.join(project.dir, 'node_modules/@sigv4-auth/sigv4-verifier/dist/index.js'))).toBe(
      true,
    );
    // tsx is there only because osls (the user's Serverless CLI) depends on it; none of these packages does.
    expect(Object.keys(JSON.parse(tsxTree).dependencies ?? {})).toEqual(['osls']);
  });

  it('starts with npx local-cloud start, and refuses --shop outside this repo', async () => {
    // Act
    const shop = await run('local-cloud', ['start', '--shop']);
    cloud = await startCli(project.bin('local-cloud'), ['start'], { cwd: project.dir, env });

    // Assess
    expect(shop).toMatchObject({ code: 2, stderr: expect.stringContaining('needs a clone of it') });
    expect(cloud.output()).toContain(
      `Starting the local cloud on http://127.0.0.1:${env.LOCAL_CLOUD_PORT} (state in .local-cloud/)`,
    );
    expect(existsSync(path.join(project.dir, '.local-cloud/aws-credentials'))).toBe(true);
  }, 60_000);

  it('deploys the service with npx local-cloud deploy and enforces it for npx signed-fetch', async () => {
    // Act
    const deployed = await run('local-cloud', ['deploy', 'notes-service']);
    const endpoint = /- deployed notes-service-local\n {2}(\S+)/.exec(deployed.stdout)?.[1] as string;
    const put = await run('signed-fetch', [
      '--local',
      '--fail',
      '-X',
      'PUT',
      '-d',
      'hello',
      `${endpoint}/notes/n1`,
    ]);
    const partner = await run('signed-fetch', ['--local', '--profile', 'partner', `${endpoint}/notes/n1`]);
    const get = await run('signed-fetch', ['--local', `${endpoint}/notes/n1`]);
    const unsigned = await fetch(`${endpoint}/notes/n1`);
    const status = await run('local-cloud', ['status']);

    // Assess
    expect(deployed).toMatchObject({ code: 0 });
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/restapis\/\w+\/local\/_user_request_$/);
    expect(put).toMatchObject({ code: 0 });
    expect(JSON.parse(put.stdout)).toEqual({
      id: 'n1',
      text: 'hello',
      by: 'arn:aws:iam::000000000000:user/developer',
    });
    // Another account's user: API Gateway's 403 (no resource policy lets account 111111111111 in).
    expect(partner).toMatchObject({
      stdout: expect.stringContaining(
        'User: arn:aws:iam::111111111111:user/partner is not authorized to perform: execute-api:Invoke',
      ),
    });
    // The function's own role lacks dynamodb:GetItem on purpose.
    expect(JSON.parse(get.stdout)).toMatchObject({ error: 'AccessDeniedException' });
    expect({ status: unsigned.status, body: await unsigned.json() }).toEqual({
      status: 403,
      body: { message: 'Missing Authentication Token' },
    });
    expect(status.stdout).toContain('notes-service-local  CREATE_COMPLETE');
  }, 120_000);

  it('serves the console page it was packed with, behind a one-time link from npx local-cloud console', async () => {
    // Act
    const link = await run('local-cloud', ['console']);
    const signIn = await fetch(link.stdout.trim(), { redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const page = await fetch(`http://127.0.0.1:${env.LOCAL_CLOUD_PORT}/_local/console/`, {
      headers: { cookie },
    });
    const html = await page.text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1] ?? '';
    const bundle = await fetch(`http://127.0.0.1:${env.LOCAL_CLOUD_PORT}${script}`, { headers: { cookie } });

    // Assess
    expect(link).toMatchObject({ code: 0 });
    expect(signIn.status).toBe(303);
    expect(page.status).toBe(200);
    expect(html).toContain('<title>local cloud console</title>');
    expect(script).toMatch(/^\/_local\/console\/assets\/index-[\w-]+\.js$/);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  }, 60_000);

  it('type-checks a user test against the installed declarations', async () => {
    // Arrange
    writeFileSync(
      path.join(project.dir, 'cloud.test-setup.ts'),
      [
        "import { LocalCloud, LOCAL_IDENTITIES_FILE, packageService, seededUserKeys } from '@sigv4-auth/local-cloud';",
        'export async function setUp(): Promise<{ cloud: LocalCloud; endpoint: unknown; key: string }> {',
        '  const cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });',
        "  const stack = await cloud.deploy(await packageService('notes-service'));",
        "  const endpoint = stack.outputs.find((output) => output.key === 'ServiceEndpoint')?.value;",
        "  return { cloud, endpoint, key: seededUserKeys('developer').accessKeyId };",
        '}',
        '',
      ].join('\n'),
    );

    // Act
    const typecheck = await project.typecheck('cloud.test-setup.ts');

    // Assess
    expect(typecheck).toBe('ok');
  }, 120_000);
});
