import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { deployProbeStack, LocalCloud, LOCAL_IDENTITIES_FILE, seededUserKeys } from '@sigv4-auth/local-cloud';
import { run } from '../src/cli/run';

const BIN = path.join(__dirname, '../bin/signed-fetch.cjs');
const keysOf = (name: string) => seededUserKeys(name);
const CUSTOMER_READER = 'arn:aws:iam::000000000000:role/customer-reader';
const NO_ACCESS = 'arn:aws:iam::000000000000:role/no-access';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A header block without the lines that differ between two calls (request id, date). */
const stable = (text: string) =>
  text
    .split('\r\n')
    .filter((line) => !/^(x-amzn-requestid|date):/i.test(line))
    .join('\r\n');

function exec(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve) => {
    // Asynchronous: the local cloud answers from this same process.
    execFile(file, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('signed-fetch CLI against the local cloud', () => {
  let cloud: LocalCloud;
  let api: string;
  let profileDir: string;
  let env: Record<string, string | undefined>;
  const developer = keysOf('developer');

  /** The CLI in this process, as `npx signed-fetch` runs it. */
  async function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await run(args, {
      stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
      stdout,
      stderr,
      env: { ...env, ...options.env },
    });
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    // AWS_IAM on /customers/{proxy+} at stage `local`: the path customer-reader's policy allows.
    ({ url: api } = await deployProbeStack(cloud, {
      stage: 'local',
      basePath: 'customers',
      authorizationType: 'AWS_IAM',
    }));
    profileDir = mkdtempSync(path.join(tmpdir(), 'signed-fetch-cli-'));
    cloud.writeProfiles(profileDir);
    const partner = keysOf('partner');
    writeFileSync(
      path.join(profileDir, 'partner-credentials'),
      `[partner]\naws_access_key_id = ${partner.accessKeyId}\naws_secret_access_key = ${partner.secretAccessKey}\n`,
    );
    writeFileSync(path.join(profileDir, 'partner-config'), '[profile partner]\nregion = us-east-1\n');
    // The CLI's env (HOME too): --local and --profile read only these files. The SDK's default chain reads the
    // real process environment, so it is tested through the bin below, with an environment of its own.
    env = { PATH: process.env.PATH, HOME: profileDir, LOCAL_CLOUD_DIR: profileDir };
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(profileDir, { recursive: true, force: true });
  });

  describe('as the developer (--local)', () => {
    it('GETs as the developer', async () => {
      // Act
      const result = await cli(['--local', `${api}/customers/42?view=full`]);

      // Assess
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toMatchObject({
        method: 'GET',
        path: '/customers/42',
        query: { view: ['full'] },
        caller: 'arn:aws:iam::000000000000:user/developer',
      });
    });

    // The local cloud writes a `partner` profile (account 111111111111) next to `local`: a cross-account caller to try.
    it('signs as the other account with --local --profile partner, and is refused (no policy of this account lets it in)', async () => {
      // Act
      const result = await cli(['--local', '--profile', 'partner', '-s', `${api}/customers/42`]);

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        Message: expect.stringMatching(
          /^User: arn:aws:iam::111111111111:user\/partner is not authorized to perform: execute-api:Invoke on resource: /,
        ),
      });
    });

    it('POSTs --json with content-type application/json', async () => {
      // Act
      const result = await cli(['--local', '--json', '{"name":"Ada"}', `${api}/customers/new`]);

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        method: 'POST',
        body: '{"name":"Ada"}',
        contentType: 'application/json',
      });
    });

    it('reads --data-binary @- from stdin and -d @file without newlines, as curl does', async () => {
      // Arrange
      const file = path.join(profileDir, 'form.txt');
      writeFileSync(file, 'a=1\nb=2\r\n');

      // Act
      const binary = await cli(['--local', '--data-binary', '@-', `${api}/customers/new`], {
        stdin: 'line 1\nline 2\n',
      });
      const form = await cli(['--local', '-d', `@${file}`, '-d', 'c=3', `${api}/customers/new`]);

      // Assess
      expect(JSON.parse(binary.stdout)).toMatchObject({ body: 'line 1\nline 2\n' });
      expect(JSON.parse(form.stdout)).toMatchObject({
        body: 'a=1b=2&c=3',
        contentType: 'application/x-www-form-urlencoded',
      });
    });

    it('sends -X PUT and -H headers, signed', async () => {
      // Act
      const result = await cli([
        '--local',
        '-X',
        'PUT',
        '-H',
        'X-Trace: abc',
        '-d',
        'x',
        '-v',
        `${api}/customers/1`,
      ]);

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ method: 'PUT' });
      expect(result.stderr).toMatch(/SignedHeaders=[a-z0-9;-]*x-trace/);
    });

    it('writes -o files and -I heads', async () => {
      // Arrange
      const file = path.join(profileDir, 'out.json');

      // Act
      const saved = await cli(['--local', '-o', file, `${api}/customers/7`]);
      const head = await cli(['--local', '-I', `${api}/customers/7`]);

      // Assess
      expect(saved).toMatchObject({ code: 0, stdout: '' });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ path: '/customers/7' });
      expect(head.code).toBe(0);
      expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(head.stdout.endsWith('\r\n\r\n')).toBe(true);
    });
  });

  describe('--role-arn (AssumeRole through the local cloud STS, from the profile endpoint_url)', () => {
    it('is allowed as customer-reader on GET /customers/*', async () => {
      // Act
      const result = await cli([
        '--local',
        '--role-arn',
        CUSTOMER_READER,
        '--role-session-name',
        'cli-test',
        '-f',
        `${api}/customers/1`,
      ]);

      // Assess
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toMatchObject({
        caller: 'arn:aws:sts::000000000000:assumed-role/customer-reader/cli-test',
      });
    });

    it('is refused as customer-reader on POST (403; exit 22 with --fail, no body printed)', async () => {
      // Act
      const result = await cli([
        '--local',
        '--role-arn',
        CUSTOMER_READER,
        '-f',
        '--json',
        '{}',
        `${api}/customers`,
      ]);

      // Assess
      expect(result).toEqual({
        code: 22,
        stdout: '',
        stderr: 'signed-fetch: (22) The requested URL returned error: 403\n',
      });
    });

    it('is refused as no-access: exit 22 with --fail, exit 0 and the body without (as curl)', async () => {
      // Act
      const failed = await cli(['--local', '--role-arn', NO_ACCESS, '--fail', `${api}/customers/1`]);
      const plain = await cli(['--local', '--role-arn', NO_ACCESS, `${api}/customers/1`]);

      // Assess
      expect(failed.code).toBe(22);
      expect(plain.code).toBe(0);
      expect(JSON.parse(plain.stdout)).toEqual({
        Message: expect.stringMatching(
          /^User: arn:aws:sts::000000000000:assumed-role\/no-access\/signed-fetch-\d+ is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:\w+\/local\/GET\/customers\/1$/,
        ),
      });
    });

    it('says why when the role cannot be assumed (exit 1)', async () => {
      // Act
      const result = await cli([
        '--local',
        '--role-arn',
        'arn:aws:iam::000000000000:role/missing',
        `${api}/customers/1`,
      ]);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^signed-fetch: \(1\) could not assume arn:aws:iam::000000000000:role\/missing: /,
      );
    });
  });

  describe('--presign', () => {
    it('prints a URL that plain curl (no signing of its own) can fetch', async () => {
      // Act
      const presigned = await cli([
        '--local',
        '--presign',
        '--expires',
        '60',
        `${api}/customers/9?a=1&b=x%20y`,
      ]);
      const fetched = await exec('curl', ['-s', presigned.stdout.trim()]);

      // Assess
      expect(presigned.code).toBe(0);
      expect(presigned.stdout).toMatch(
        /X-Amz-Expires=60&.*X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}\n$/,
      );
      expect(JSON.parse(fetched.stdout)).toMatchObject({
        path: '/customers/9',
        caller: 'arn:aws:iam::000000000000:user/developer',
      });
    });

    it('presigns with role credentials (the session token travels in the query)', async () => {
      // Act
      const presigned = await cli([
        '--local',
        '--role-arn',
        CUSTOMER_READER,
        '--presign',
        `${api}/customers/9`,
      ]);
      const fetched = await exec('curl', [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        presigned.stdout.trim(),
      ]);

      // Assess
      expect(presigned.stdout).toContain('X-Amz-Security-Token=');
      expect(fetched.stdout).toBe('200');
    });
  });

  describe('-v', () => {
    it('shows the canonical request and string to sign, and no secret', async () => {
      // Act
      const result = await cli(['--local', '--role-arn', CUSTOMER_READER, '-v', `${api}/customers/3?x=1`]);

      // Assess
      const apiId = new URL(api).pathname.split('/')[2];
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        [
          '* Canonical request:',
          '*   GET',
          `*   /restapis/${apiId}/local/_user_request_/customers/3`,
          '*   x=1',
        ].join('\n'),
      );
      expect(result.stderr).toMatch(
        /\* String to sign:\n\*   AWS4-HMAC-SHA256\n\*   \d{8}T\d{6}Z\n\*   \d{8}\/us-east-1\/execute-api\/aws4_request\n/,
      );
      expect(result.stderr).toMatch(/^< HTTP\/1\.1 200 OK$/m);
      // The role's token and secret: never whole in the output.
      const tokenLine = /^> x-amz-security-token: (.+)$/m.exec(result.stderr)?.[1] ?? '';
      expect(tokenLine).toMatch(/^.{8}…\[\d+ chars redacted\]$/);
      expect(result.stderr).not.toMatch(/Signature=[0-9a-f]{64}/);
      expect(result.stderr).not.toContain(developer.secretAccessKey);
    });

    it('never prints the secret key of static credentials', async () => {
      // Act
      const result = await cli(['--local', '-v', `${api}/customers/3`]);

      // Assess
      expect(result.stderr).toContain('* Credentials: AKIALOCALDEVELOPER00 (profile local)');
      expect(result.stderr).not.toContain(developer.secretAccessKey);
    });
  });

  describe('side by side with curl --aws-sigv4 (same keys, same request)', () => {
    const curlSigned = (args: string[]) =>
      exec('curl', [
        '--aws-sigv4',
        'aws:amz:us-east-1:execute-api',
        '--user',
        `${developer.accessKeyId}:${developer.secretAccessKey}`,
        ...args,
      ]);

    it.each([
      ['GET', ['/customers/1']],
      ['GET with a query', ['/customers/1?a=1&b=2&c=x%20y']],
      ['POST with a body', ['-d', 'hello', '/customers/new']],
      ['DELETE', ['-X', 'DELETE', '/customers/1']],
    ])('%s: both accepted, same -i output', async (_name, args) => {
      // Arrange
      const withUrl = args.map((arg) => (arg.startsWith('/') ? `${api}${arg}` : arg));

      // Act
      const ours = await cli(['--local', '-i', ...withUrl]);
      const theirs = await curlSigned(['-s', '-i', ...withUrl]);

      // Assess
      expect(theirs.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const [oursHead, oursBody] = ours.stdout.split('\r\n\r\n');
      const [theirHead, theirBody] = theirs.stdout.split('\r\n\r\n');
      expect(stable(oursHead!)).toBe(stable(theirHead!));
      expect(JSON.parse(oursBody!)).toEqual(JSON.parse(theirBody!));
    });

    // curl 7.88's --aws-sigv4 is refused for these (it neither sorts the query, curl/curl#9717, nor encodes
    // path segments twice, which SigV4 wants for every service but S3); signed-fetch must be accepted.
    it.each([
      ['an unsorted query', '/customers/1?b=2&a=1&a=0'],
      ['an encoded path', '/customers/a%20b%2Fc'],
    ])('is accepted with %s', async (_name, pathAndQuery) => {
      // Act
      const result = await cli(['--local', '-f', `${api}${pathAndQuery}`]);

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ caller: 'arn:aws:iam::000000000000:user/developer' });
    });

    it('--fail: the same exit code and the same printed headers on a 403', async () => {
      // Arrange: the partner account's own policy allows invoking, but no resource policy lets it in.
      const partner = keysOf('partner');
      const partnerEnv = {
        AWS_SHARED_CREDENTIALS_FILE: path.join(profileDir, 'partner-credentials'),
        AWS_CONFIG_FILE: path.join(profileDir, 'partner-config'),
      };

      // Act
      const ours = await cli(['--profile', 'partner', '-s', '-i', '--fail', `${api}/customers/1`], {
        env: partnerEnv,
      });
      const theirs = await exec('curl', [
        '--aws-sigv4',
        'aws:amz:us-east-1:execute-api',
        '--user',
        `${partner.accessKeyId}:${partner.secretAccessKey}`,
        '-s',
        '-i',
        '--fail',
        `${api}/customers/1`,
      ]);

      // Assess
      expect(theirs.code).toBe(22);
      expect(ours.code).toBe(22);
      expect(stable(ours.stdout)).toBe(stable(theirs.stdout));
      expect(ours.stdout).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    });
  });

  // A date given in X-Amz-Date is signed as given (curl's --aws-sigv4 does the same), never silently replaced: an
  // old one gets AWS's "Signature expired" from the local cloud, which proves it was the one signed.
  it('signs at an X-Amz-Date given with -H, so an old one is refused as expired', async () => {
    // Act
    const result = await cli(['--local', '-s', '-H', 'X-Amz-Date: 20150830T123600Z', `${api}/customers/42`]);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      message: expect.stringMatching(/^Signature expired: 20150830T123600Z is now earlier than /),
    });
  });

  describe('errors and exit codes', () => {
    it('exits 2 on bad usage, with curl-style messages', async () => {
      // Act
      const unknown = await cli(['--bogus', api]);
      const noUrl = await cli(['--local']);

      // Assess
      expect(unknown).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "signed-fetch: (2) option --bogus: is unknown\nsigned-fetch: try 'signed-fetch --help' for more information\n",
      });
      expect(noUrl.code).toBe(2);
    });

    it('exits 7 when nothing listens, 6 when the host does not resolve', async () => {
      // Arrange: a port that was free a moment ago.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));

      // Act
      const refused = await cli(['--local', `http://127.0.0.1:${port}/x`]);
      const unresolved = await cli(['--local', 'http://no-such-host.invalid/x']);

      // Assess
      expect(refused.code).toBe(7);
      expect(refused.stderr).toBe(
        `signed-fetch: (7) Failed to connect to 127.0.0.1 port ${port}: ECONNREFUSED\n`,
      );
      expect(unresolved.code).toBe(6);
    });

    it('exits 26 when a @file cannot be read (curl would send an empty body)', async () => {
      // Act
      const result = await cli(['--local', '--data-binary', '@/no/such/file', `${api}/customers`]);

      // Assess
      expect(result.code).toBe(26);
      expect(result.stderr).toMatch(/could not read '\/no\/such\/file'/);
    });

    it('exits 1 with a hint when --local finds no running local cloud profile', async () => {
      // Act
      const result = await cli(['--local', `${api}/customers/1`], {
        env: { LOCAL_CLOUD_DIR: '/no/such/dir' },
      });

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Start the local cloud first: npm start');
    });

    it('-s silences errors, -S brings them back', async () => {
      // Act
      const silent = await cli(['-s', '--local', '--data-binary', '@/no/such/file', `${api}/customers`]);
      const shown = await cli(['-sS', '--local', '--data-binary', '@/no/such/file', `${api}/customers`]);

      // Assess
      expect(silent).toMatchObject({ code: 26, stderr: '' });
      expect(shown.stderr).not.toBe('');
    });
  });

  describe('against a plain HTTP server (timeouts, retries, odd answers)', () => {
    let server: Server;
    let base: string;
    let seen: Array<{ method?: string; authorization?: string }> = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        seen.push({ method: request.method, authorization: request.headers.authorization });
        if (request.url === '/hang') return; // never answers
        if (request.url === '/slow-body') {
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.write('first part ');
          return; // the rest never comes
        }
        if (request.url === '/flaky' && seen.length % 2 === 1) {
          response.writeHead(503, { 'retry-after': '1' }).end('busy');
          return;
        }
        if (request.url === '/echo-headers') {
          // A debugging backend that echoes what it got, the session token included.
          response
            .writeHead(200, { 'x-echo-token': String(request.headers['x-amz-security-token']) })
            .end(String(request.headers.authorization));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    beforeEach(() => {
      seen = [];
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('exits 28 when --max-time runs out before the answer, or during the body', async () => {
      // Act
      const noAnswer = await cli(['--local', '--max-time', '0.3', `${base}/hang`]);
      const halfBody = await cli(['--local', '--max-time', '0.3', `${base}/slow-body`]);

      // Assess
      expect(noAnswer).toMatchObject({ code: 28, stderr: 'signed-fetch: (28) Operation timed out\n' });
      expect(halfBody).toMatchObject({
        code: 28,
        stdout: 'first part ',
        stderr: 'signed-fetch: (28) Operation timed out\n',
      });
    });

    it('--retry honours Retry-After and signs every attempt anew', async () => {
      // Act
      const result = await cli(['--local', '--retry', '2', `${base}/flaky`]);

      // Assess
      expect(result).toMatchObject({ code: 0, stdout: 'ok' });
      expect(result.stderr).toBe('Warning: HTTP error 503. Will retry in 1 seconds. 2 retries left.\n');
      expect(seen).toHaveLength(2);
      expect(seen[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIALOCALDEVELOPER00\//);
      // A second later: a new X-Amz-Date, so a new signature (not a replay of the first).
      expect(seen[1]?.authorization).not.toBe(seen[0]?.authorization);
    });

    it('-I sends HEAD and prints only the head', async () => {
      // Act
      const result = await cli(['--local', '-I', `${base}/x`]);

      // Assess
      expect(seen[0]?.method).toBe('HEAD');
      expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/);
    });

    it('exits 23 when -o cannot be written (a full device)', async () => {
      // Act
      const result = await cli(['--local', '-o', '/dev/full', `${base}/x`]);

      // Assess
      expect(result.code).toBe(23);
      expect(result.stderr).toMatch(/^signed-fetch: \(23\) could not write '\/dev\/full': ENOSPC/);
    });

    it('-v redacts secrets the server echoes back too (response headers)', async () => {
      // Act
      const result = await cli(['--local', '--role-arn', CUSTOMER_READER, '-v', `${base}/echo-headers`]);

      // Assess
      const echoed = /^< x-echo-token: (.+)$/m.exec(result.stderr)?.[1];
      expect(echoed).toMatch(/^.{8}…\[\d+ chars redacted\]$/);
      expect(result.stdout).toMatch(/Signature=[0-9a-f]{64}$/); // stdout is the body, untouched
    });

    it('warns when temporary credentials expire before a presigned URL would', async () => {
      // Act: role sessions for a presigned URL are asked for an hour at most.
      const result = await cli([
        '--local',
        '--role-arn',
        CUSTOMER_READER,
        '--presign',
        '--expires',
        '86400',
        `${base}/x`,
      ]);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /^Warning: the URL stops working at \S+, when the temporary credentials that signed it expire/,
      );
    });
  });

  describe('the installed bin (npx signed-fetch)', () => {
    it('runs, prints the body and exits with the code', async () => {
      // Act
      const ok = await exec(BIN, ['--local', '-s', `${api}/customers/5`], { ...env, PATH: process.env.PATH });
      const refused = await exec(
        BIN,
        ['--local', '--role-arn', NO_ACCESS, '-f', `${api}/customers/5`],
        env as NodeJS.ProcessEnv,
      );

      // Assess
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ path: '/customers/5' });
      expect(refused).toMatchObject({
        code: 22,
        stdout: '',
        stderr: 'signed-fetch: (22) The requested URL returned error: 403\n',
      });
    }, 30_000);

    it('uses AWS_PROFILE with AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (the default chain)', async () => {
      // Act: the partner profile; its account's own policy allows, but cross-account needs the API's consent too.
      const result = await exec(BIN, [`${api}/customers/5`], {
        PATH: process.env.PATH,
        HOME: profileDir,
        AWS_PROFILE: 'partner',
        AWS_CONFIG_FILE: path.join(profileDir, 'partner-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(profileDir, 'partner-credentials'),
      });

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).Message).toMatch(
        /^User: arn:aws:iam::111111111111:user\/partner is not authorized/,
      );
    }, 30_000);

    it('assumes --role-arn through AWS_ENDPOINT_URL when the profile names no endpoint', async () => {
      // Arrange: the developer's keys in a profile without endpoint_url.
      writeFileSync(path.join(profileDir, 'plain-config'), '[profile dev]\nregion = us-east-1\n');
      writeFileSync(
        path.join(profileDir, 'plain-credentials'),
        `[dev]\naws_access_key_id = ${developer.accessKeyId}\naws_secret_access_key = ${developer.secretAccessKey}\n`,
      );

      // Act
      const result = await exec(
        BIN,
        [
          '--profile',
          'dev',
          '--role-arn',
          CUSTOMER_READER,
          '--role-session-name',
          'env',
          `${api}/customers/5`,
        ],
        {
          PATH: process.env.PATH,
          HOME: profileDir,
          AWS_CONFIG_FILE: path.join(profileDir, 'plain-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(profileDir, 'plain-credentials'),
          AWS_ENDPOINT_URL: cloud.url,
        },
      );

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        caller: 'arn:aws:sts::000000000000:assumed-role/customer-reader/env',
      });
    }, 30_000);
  });
});
