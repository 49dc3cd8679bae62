import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deployProbeStack, LocalCloud, LOCAL_IDENTITIES_FILE, seededUserKeys } from '@sigv4-auth/local-cloud';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

// The two signing packages as people would install them: `npm pack` of what would be published
// (scripts/pack-packages.mjs: compiled JavaScript, types, the real dependencies), installed into a project outside
// this repo, then used there against the local cloud: the CLI on PATH, the library from plain node and TypeScript.
describe('@sigv4-auth/signed-fetch and @sigv4-auth/signed-fetch-cli, installed from their tarballs', () => {
  let project: string;
  let cloud: LocalCloud;
  let api: string;
  const { accessKeyId, secretAccessKey } = seededUserKeys('developer');

  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'signed-fetch-user-'));
    const { stdout } = await run(
      process.execPath,
      [path.join(ROOT, 'scripts/pack-packages.mjs'), path.join(project, 'packs')],
      {
        encoding: 'utf8',
      },
    );
    const tarballs = stdout.trim().split('\n');
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'a-user-project', private: true }),
    );
    // From npm's cache when it has them (CI's npm ci filled it), else the registry.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], {
      cwd: project,
    });
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    ({ url: api } = await deployProbeStack(cloud, { authorizationType: 'AWS_IAM' }));
  }, 240_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(project, { recursive: true, force: true });
    for (const dir of ['libs/signed-fetch/dist', 'tools/signed-fetch/dist'])
      rmSync(path.join(ROOT, dir), { recursive: true, force: true });
  });

  it('installs compiled JavaScript and types, no TypeScript sources and no tsx', () => {
    // Act
    const library = path.join(project, 'node_modules/@sigv4-auth/signed-fetch');
    const cli = path.join(project, 'node_modules/@sigv4-auth/signed-fetch-cli');

    // Assess
    expect(readdirSync(library).sort()).toEqual(['README.md', 'dist', 'package.json']);
    expect(existsSync(path.join(library, 'dist/index.d.ts'))).toBe(true);
    expect(readdirSync(cli).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    expect(existsSync(path.join(project, 'node_modules/tsx'))).toBe(false);
  });

  it('runs the installed signed-fetch, which signs a request the local cloud accepts', async () => {
    // Act
    const { stdout } = await run(
      path.join(project, 'node_modules/.bin/signed-fetch'),
      ['--region', 'us-east-1', '--fail', `${api}/customers/42`],
      {
        cwd: project,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: project,
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
        },
      },
    );

    // Assess
    expect(JSON.parse(stdout)).toMatchObject({
      path: '/customers/42',
      caller: 'arn:aws:iam::000000000000:user/developer',
    });
  }, 30_000);

  it('signs from the installed library, in plain node and type-checked TypeScript', async () => {
    // Arrange
    const script = `const { createSignedFetch } = require('@sigv4-auth/signed-fetch');
      const signed = createSignedFetch({ region: 'us-east-1', service: 'execute-api', credentials: { accessKeyId: process.argv[2], secretAccessKey: process.argv[3] } });
      signed(process.argv[1]).then(async (r) => process.stdout.write(r.status + ' ' + (await r.json()).caller));`;
    writeFileSync(
      path.join(project, 'check.ts'),
      "import { createSignedFetch, type SignedFetchOptions } from '@sigv4-auth/signed-fetch';\nconst options: SignedFetchOptions = { region: 'us-east-1', service: 'execute-api' };\nexport const signed: typeof fetch = createSignedFetch(options);\n",
    );

    // Act (FORCE_COLOR, which CI sets, would colour console.log's numbers: the script writes plain text)
    const { stdout } = await run(process.execPath, ['-e', script, `${api}/x`, accessKeyId, secretAccessKey], {
      cwd: project,
      encoding: 'utf8',
    });
    const typecheck = await run(
      path.join(ROOT, 'node_modules/.bin/tsc'),
      [
        '--noEmit',
        '--strict',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node',
        '--target',
        'es2022',
        '--lib',
        'es2023,dom',
        '--typeRoots',
        path.join(ROOT, 'node_modules/@types'),
        '--types',
        'node',
        'check.ts',
      ],
      { cwd: project, encoding: 'utf8' },
    ).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? 'failed',
    );

    // Assess
    expect(stdout.trim()).toBe('200 arn:aws:iam::000000000000:user/developer');
    expect(typecheck).toBe('ok');
  }, 60_000);
});
