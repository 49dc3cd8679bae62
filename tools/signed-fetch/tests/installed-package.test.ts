import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { deployProbeStack, LocalCloud, LOCAL_IDENTITIES_FILE, seededUserKeys } from '@sigv4-auth/local-cloud';
import { packedProject, type PackedProject } from '@sigv4-auth/testing';

const run = promisify(execFile);

// The two signing packages as people would install them: `npm pack` of what would be published
// (scripts/pack-packages.mjs: compiled JavaScript, types, the real dependencies), installed into a project outside
// this repo, then used there against the local cloud: the CLI on PATH, the library from plain node and TypeScript.
describe('@sigv4-auth/signed-fetch and @sigv4-auth/signed-fetch-cli, installed from their tarballs', () => {
  let installed: PackedProject;
  let project: string;
  let cloud: LocalCloud;
  let api: string;
  const { accessKeyId, secretAccessKey } = seededUserKeys('developer');

  beforeAll(async () => {
    installed = await packedProject({
      packages: ['@sigv4-auth/signed-fetch-cli'],
      prefix: 'signed-fetch-user-',
    });
    project = installed.dir;
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    ({ url: api } = await deployProbeStack(cloud, { authorizationType: 'AWS_IAM' }));
  }, 240_000);

  afterAll(async () => {
    await cloud?.stop();
    installed?.remove();
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
    const typecheck = await installed.typecheck('check.ts');

    // Assess
    expect(stdout.trim()).toBe('200 arn:aws:iam::000000000000:user/developer');
    expect(typecheck).toBe('ok');
  }, 60_000);
});
