import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { signRequest } from '@sigv4-auth/signed-fetch';
import { startCloudChild } from './cloud-child';
import { DEVELOPER } from './gateway';
import { interleaved, median, perRound, spreadOf, type Spread } from './measure';
import { TRIVIAL_HANDLER } from './peer-handler';
import { freePort } from '@sigv4-auth/local-cloud';

/** The incumbent local emulator for Serverless users, as the peers notes (../shared/research/peers.md) read it. */
const SERVERLESS_OFFLINE = '14.8.1';
const AUTOCANNON = '9.0.0';
const ROOT = path.resolve(__dirname, '..');
/** Installed once per version, outside git: the repo does not depend on either. */
const PEER_DIR = path.join(__dirname, '.peers', `serverless-offline-${SERVERLESS_OFFLINE}`);

export interface PeersResults {
  /** Requests/s (autocannon, c=8, keep-alive), median of the rounds. */
  offline_none_rps: number;
  local_none_rps: number;
  local_iam_rps: number;
  local_cognito_rps: number;
  local_custom_rps: number;
  /** p50 latency (ms), median of the rounds. */
  offline_none_p50_ms: number;
  local_iam_p50_ms: number;
  /** Each local mechanism over serverless-offline's NONE, round by round (issue goal: median >= 2.5). */
  ratios: Record<'none' | 'iam' | 'cognito' | 'custom', Spread>;
}

/** A project of its own with serverless-offline, the repo's osls and autocannon; installed on first use. */
async function peerProject(): Promise<string> {
  const osls = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/osls/package.json'), 'utf8')).version;
  const manifest = {
    name: 'peers-bench',
    private: true,
    dependencies: { 'serverless-offline': SERVERLESS_OFFLINE, osls, autocannon: AUTOCANNON },
  };
  const installed = path.join(PEER_DIR, 'node_modules/serverless-offline/package.json');
  const current =
    existsSync(installed) &&
    readFileSync(path.join(PEER_DIR, 'package.json'), 'utf8') === JSON.stringify(manifest, null, 2);
  if (!current) {
    mkdirSync(PEER_DIR, { recursive: true });
    writeFileSync(path.join(PEER_DIR, 'package.json'), JSON.stringify(manifest, null, 2));
    console.log(
      `  installing serverless-offline ${SERVERLESS_OFFLINE} and autocannon ${AUTOCANNON} (once) in ${path.relative(ROOT, PEER_DIR)}`,
    );
    // serverless-offline 14 names `serverless` 4 as its peer; it runs on osls, the CLI this repo uses.
    await promisify(execFile)('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund'], {
      cwd: PEER_DIR,
      timeout: 300_000,
    });
  }
  writeFileSync(
    path.join(PEER_DIR, 'serverless.yml'),
    [
      'service: peer-probe',
      "frameworkVersion: '4'",
      'provider: { name: aws, runtime: nodejs20.x, region: us-east-1, stage: test }',
      'plugins: [serverless-offline]',
      'functions:',
      '  probe:',
      '    handler: handler.handler',
      "    events: [{ http: { path: '/items/{id}', method: get } }]",
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(PEER_DIR, 'handler.js'), TRIVIAL_HANDLER);
  return PEER_DIR;
}

/** `osls offline` on a free port, as a Serverless user runs it; resolves when it says it is ready. */
async function startOffline(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    path.join(dir, 'node_modules/.bin/osls'),
    ['offline', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const output: string[] = [];
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream! }).on('line', (line) => {
        output.push(line);
        if (line.includes('Server ready')) resolve();
      });
    void exited.then(() => reject(new Error(`serverless-offline exited:\n${output.join('\n')}`)));
  });
  return {
    url: `http://127.0.0.1:${httpPort}/test`,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}

interface Cannonade {
  rps: number;
  p50_ms: number;
}

/** One autocannon run (its own process: the load generator shares neither server's event loop). */
async function cannon(dir: string, url: string, headers: Record<string, string>, seconds: number) {
  const args = ['-c', '8', '-d', String(seconds), '-j', url];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await promisify(execFile)(path.join(dir, 'node_modules/.bin/autocannon'), args, {
    maxBuffer: 16 * 2 ** 20,
  });
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  if (result.non2xx + result.errors + result.timeouts > 0)
    throw new Error(`peers bench: ${url} answered ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50_ms: result.latency.p50 } satisfies Cannonade;
}

/**
 * The same trivial handler served by serverless-offline (behind NONE: it serves AWS_IAM routes open, with a
 * warning) and by the local cloud behind NONE, AWS_IAM, COGNITO_USER_POOLS and a cached Lambda authorizer, loaded
 * by autocannon at c=8 in interleaved rounds. The server's cost is isolated from the client's: one signature
 * (valid 15 minutes, as on AWS) and one token are replayed for every request, as a caller may.
 */
export async function benchPeers(seconds: number, rounds: number): Promise<PeersResults> {
  const dir = await peerProject();
  const offline = await startOffline(dir);
  const cloud = await startCloudChild(['--peers']);
  try {
    const iamUrl = new URL(`${cloud.urls.peerIam as string}/items/42`);
    const signed = await signRequest(
      { method: 'GET', url: iamUrl, headers: {} },
      DEVELOPER,
      { region: 'us-east-1', service: 'execute-api' },
      { signingDate: new Date() },
    );
    const token = { authorization: cloud.urls.peerIdToken as string };
    const kinds = {
      offline: () => cannon(dir, `${offline.url}/items/42`, {}, seconds),
      none: () => cannon(dir, `${cloud.urls.peerNone as string}/items/42`, {}, seconds),
      iam: () => cannon(dir, iamUrl.href, signed, seconds),
      cognito: () => cannon(dir, `${cloud.urls.peerCognito as string}/items/42`, token, seconds),
      custom: () => cannon(dir, `${cloud.urls.peerCustom as string}/items/42`, token, seconds),
    };
    // Warm-up: each server's function environments started and its JIT settled.
    for (const run of Object.values(kinds)) await run();
    const runs = await interleaved(kinds, rounds);
    const rps = (kind: keyof typeof runs) => runs[kind].map((run) => run.rps);
    const overOffline = (kind: keyof typeof runs) => spreadOf(perRound(rps(kind), rps('offline')));
    return {
      offline_none_rps: median(rps('offline')),
      local_none_rps: median(rps('none')),
      local_iam_rps: median(rps('iam')),
      local_cognito_rps: median(rps('cognito')),
      local_custom_rps: median(rps('custom')),
      offline_none_p50_ms: median(runs.offline.map((run) => run.p50_ms)),
      local_iam_p50_ms: median(runs.iam.map((run) => run.p50_ms)),
      ratios: {
        none: overOffline('none'),
        iam: overOffline('iam'),
        cognito: overOffline('cognito'),
        custom: overOffline('custom'),
      },
    };
  } finally {
    await cloud.stop();
    await offline.stop();
  }
}
