import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import inspector from 'node:inspector';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';

// What a function must not reach: the host's environment, the cloud's memory and files, other functions.
// Each probe is what a security review did from inside a function when functions were worker threads in the
// cloud's process: it read the host's environment from /proc/self/environ, the admin key files, and every live
// session through `inspector.Session.connectToMainThread()`.
const ATTACKER = `
const fs = require('node:fs');
const attempt = (fn) => { try { return { ok: true, value: fn() }; } catch (error) { return { ok: false, code: error.code ?? error.message }; } };
exports.handler = async (event) => {
  const target = event.queryStringParameters?.file ?? '';
  const results = {
    env: Object.keys(process.env).sort(),
    cwd: process.cwd(),
    tmpdir: require('node:os').tmpdir(),
    taskRoot: process.env.LAMBDA_TASK_ROOT,
    ownEnviron: attempt(() => fs.readFileSync('/proc/self/environ', 'utf8').length),
    parentEnviron: attempt(() => fs.readFileSync('/proc/' + process.ppid + '/environ', 'utf8').length),
    cloudFile: attempt(() => fs.readFileSync(target, 'utf8').length),
    ownCode: attempt(() => fs.readFileSync(__filename, 'utf8').length),
    tmp: attempt(() => { const file = require('node:path').join(require('node:os').tmpdir(), 'scratch'); fs.writeFileSync(file, 'x'); return fs.readFileSync(file, 'utf8'); }),
    mainThread: attempt(() => { const session = new (require('node:inspector').Session)(); session.connectToMainThread(); return 'connected'; }),
    spawn: attempt(() => require('node:child_process').execFileSync('/bin/sh', ['-c', 'cat /proc/' + process.ppid + '/environ']).length),
    worker: attempt(() => { new (require('node:worker_threads').Worker)('1', { eval: true }); return 'started'; }),
    sameProcessAsCloud: process.pid === Number(event.queryStringParameters?.cloudPid),
    // SIGUSR1 opens the inspector of any node process: the cloud's, with every session in its memory.
    signalCloud: attempt(() => process.kill(process.ppid, 'SIGUSR1')),
    signalSelf: attempt(() => process.kill(process.pid, 0)),
    // process._debugProcess sends SIGUSR1 to any pid, the permission model notwithstanding.
    debugCloud: attempt(() => process._debugProcess(process.ppid)),
    ipc: typeof process.send + '/' + typeof process.disconnect,
    adminToken: attempt(() => fs.readFileSync(event.queryStringParameters?.token ?? '', 'utf8')),
    // The cloud's own endpoints: a function must not inject faults or deploy.
    health: (await fetch(process.env.AWS_ENDPOINT_URL + '/_local/health')).status,
    // Again on the same keep-alive connection (the cloud remembers per connection whose it is).
    healthAgain: (await fetch(process.env.AWS_ENDPOINT_URL + '/_local/health')).status,
    console: (await fetch(process.env.AWS_ENDPOINT_URL + '/_local/console/api/state')).status,
    injectFault: (await fetch(process.env.AWS_ENDPOINT_URL + '/_local/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'attacker-fn', mode: 'error' }),
    })).status,
  };
  return { statusCode: 200, body: JSON.stringify(results) };
};
`;

describe('a function runs in its own process with only Lambda’s environment', () => {
  let cloud: LocalCloud;
  let url: string;
  let stateDir: string;
  let credentialsFile: string;
  const hostVariables = { AWS_PROFILE: 'host-profile', AWS_SECRET_ACCESS_KEY: 'host-secret-canary' };

  beforeAll(async () => {
    // A temp folder a crashed earlier run left behind.
    stateDir = mkdtempSync(path.join(tmpdir(), 'isolation-'));
    mkdirSync(path.join(stateDir, 'lambda-tmp', 'lambda-tmp-stale'), { recursive: true });
    // A developer's shell with real AWS credentials exported: none of it may reach a function.
    Object.assign(process.env, hostVariables);
    cloud = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
    ({ credentialsFile } = cloud.writeProfiles(stateDir));
    ({ url } = await deployProbeStack(cloud, { stackName: 'attacker', handlerSource: ATTACKER }));
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    for (const name of Object.keys(hostVariables)) delete process.env[name];
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** One attempt of the attacker: its value, or the error code that stopped it. */
  type Attempt = { ok: boolean; value?: unknown; code?: string };
  type ProbeResults = Record<string, Attempt> & {
    env: string[];
    cwd: string;
    tmpdir: string;
    taskRoot: string;
    sameProcessAsCloud: boolean;
    injectFault: number;
    health: number;
    healthAgain: number;
    console: number;
    ipc: string;
  };

  async function probe(query: Record<string, string> = {}): Promise<ProbeResults> {
    const search = new URLSearchParams({
      file: credentialsFile,
      token: path.join(stateDir, 'admin-token'),
      cloudPid: String(process.pid),
      ...query,
    });
    const response = await fetch(`${url}/attack?${search}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ProbeResults;
  }

  it('sees exactly Lambda’s variables: nothing of the host, its role credentials only', async () => {
    // Act
    const { env, sameProcessAsCloud } = await probe();

    // Assess
    expect(sameProcessAsCloud).toBe(false);
    expect(env).toEqual(
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'LAMBDA_TASK_ROOT',
        'LANG',
        'PATH',
        'TMPDIR',
        'TZ',
        '_HANDLER',
        // The SDK's Node-version warning off, on a host older than the functions' nodejs22.x (known noise).
        ...(Number(process.versions.node.split('.')[0]) < 22
          ? ['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']
          : []),
      ].sort(),
    );
  });

  it('cannot read the host’s environment, the cloud’s key files or anything outside its code', async () => {
    // Act
    const results = await probe();

    // Assess
    for (const name of ['ownEnviron', 'parentEnviron', 'cloudFile', 'adminToken'])
      expect([name, results[name]]).toEqual([name, { ok: false, code: 'ERR_ACCESS_DENIED' }]);
    expect(results.cwd).toBe(results.taskRoot);
    expect(existsSync(path.join(stateDir, 'lambda-tmp', 'lambda-tmp-stale'))).toBe(false);
    expect(results.ownCode?.ok).toBe(true);
    expect(results.tmp).toEqual({ ok: true, value: 'x' });
    // In the cloud's own folder, emptied at every start: a crash leaves no function files behind for good.
    expect(results.tmpdir.startsWith(path.join(stateDir, 'lambda-tmp', 'lambda-tmp-'))).toBe(true);
  });

  it('cannot reach the cloud’s memory: no inspector session, no child processes, no worker threads', async () => {
    // Act
    const results = await probe();
    await new Promise((resolve) => setTimeout(resolve, 300)); // a signal would be handled asynchronously

    // Assess
    expect(results.mainThread?.ok).toBe(false);
    expect(results.spawn).toEqual({ ok: false, code: 'ERR_ACCESS_DENIED' });
    expect(results.worker).toEqual({ ok: false, code: 'ERR_ACCESS_DENIED' });
    expect(results.signalCloud).toEqual({ ok: false, code: 'ERR_ACCESS_DENIED' });
    expect(results.signalSelf).toEqual({ ok: true, value: true });
    expect(results.debugCloud).toEqual({ ok: false, code: 'ERR_ACCESS_DENIED' });
    expect(results.ipc).toBe('undefined/undefined');
    expect(results.injectFault).toBe(403);
    // Linux tells the cloud which process holds a connection: a function gets none of /_local.
    if (process.platform === 'linux')
      expect([results.health, results.healthAgain, results.console]).toEqual([403, 403, 403]);
    expect((await fetch(`${cloud.url}/_local/health`)).status).toBe(200);
    expect(cloud.faults.list()).toEqual([]);
    expect(inspector.url()).toBeUndefined();
  });
});
