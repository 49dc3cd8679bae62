import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { ADMIN_TOKEN_FILE, ADMIN_TOKEN_HEADER, readAdminToken } from '../admin';
import { LOCAL_IDENTITIES_FILE } from '../identity';
import { staffToken } from '../idp';
import { DEFAULT_PORT, LocalCloud } from '../local-cloud';
import { packageService, type PackagedService } from './package-service';
import { SHOP_SERVICES, welcomeToTheShop } from './shop';

/** The state folder of `start`: `LOCAL_CLOUD_DIR`, else `.local-cloud/` where it is started. */
const STATE_DIR = path.resolve(process.env.LOCAL_CLOUD_DIR ?? '.local-cloud');
/** The identities it seeds: `LOCAL_CLOUD_IDENTITIES`, else this repo's `infra/local/identities.json`. */
const IDENTITIES_FILE = process.env.LOCAL_CLOUD_IDENTITIES ?? LOCAL_IDENTITIES_FILE;
const port = Number(process.env.LOCAL_CLOUD_PORT ?? DEFAULT_PORT);
const baseUrl = `http://127.0.0.1:${port}`;
// The AWS SDK's NodeVersionSupportWarning (it wants Node 22 from 2027) is known noise on Node 20, which is supported.
if (Number(process.versions.node.split('.')[0]) < 22)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Exit codes: 0 done, 1 it failed (no cloud, a refused deploy), 2 bad usage (as curl and most CLIs). */
class CliFailure extends Error {
  public constructor(
    message: string,
    public readonly code: 1 | 2 = 1,
  ) {
    super(message);
  }
}

const HELP: Record<string, string> = {
  start: `local-cloud start [--deploy <service dir>]... [--shop]

  Starts the local cloud on ${baseUrl} (LOCAL_CLOUD_PORT), with its state in ./.local-cloud (LOCAL_CLOUD_DIR) and
  the identities of LOCAL_CLOUD_IDENTITIES (default: the identities.json it ships). Each --deploy packages a
  Serverless service (serverless package --stage local; several side by side) and deploys its template and zips,
  in the order given.
  --shop deploys this repo's three services and makes the demo user (npm start). Ctrl-C stops it.`,
  deploy: `local-cloud deploy <service dir>

  Packages the Serverless service in <service dir> (serverless package --stage local) and deploys it into the
  running local cloud, as a CloudFormation deploy would. Refused templates say what the local cloud cannot enforce.`,
  remove: `local-cloud remove <service dir>

  Removes the service's stack (<service>-local) from the running local cloud.`,
  status: `local-cloud status

  Says whether a local cloud runs on ${baseUrl}, and lists its stacks and their endpoints (exit 1 if none runs).`,
  console: `local-cloud console

  Prints a link that opens the running local cloud's console in a browser: its stacks and routes, the live request
  log with the reason for every refusal, authorizer cache entries, usage-plan counters, Cognito users and API
  metrics. The link works once, for 5 minutes (it sets a session cookie); run this again for another.`,
  'idp-token': `local-cloud idp-token --user <name>

  Signs a staff user in at the local corporate IdP (authorization code + PKCE, the published local password) and
  prints only the access token: TOKEN=$(npx local-cloud idp-token --user alice).`,
};

const USAGE = `Usage: local-cloud <command> [options]     (local-cloud <command> --help for one)

  start [--deploy <dir>]... [--shop]   start the local cloud, deploy Serverless services into it
  deploy <service dir>                 package and deploy a Serverless service into the running cloud
  remove <service dir>                 remove that service's stack
  status                               the running cloud's stacks and endpoints
  console                              a one-time link to the console (routes, live decisions, metrics)
  idp-token --user <name>              a staff user's access token from the local IdP

The cloud's URL: LOCAL_CLOUD_PORT (default ${DEFAULT_PORT}).`;

interface Health {
  endpoint: string;
  stateDir: string | null;
  stacks: Array<{ stackName: string; status: string; outputs: Array<{ key: string; value: unknown }> }>;
}

/** The health answer of a local cloud on the port, if one answers within `timeoutMs`. */
async function healthOf(timeoutMs: number): Promise<Health | undefined> {
  const answer = await fetch(`${baseUrl}/_local/health`, { signal: AbortSignal.timeout(timeoutMs) }).catch(
    () => undefined,
  );
  return answer?.ok ? ((await answer.json()) as Health) : undefined;
}

/** The running cloud's health answer, or a failure that says how to start one. */
async function runningCloud(): Promise<Health> {
  const health = await healthOf(5000);
  if (!health)
    throw new CliFailure(
      `No local cloud answers at ${baseUrl}. Start one first (npx local-cloud start), or set LOCAL_CLOUD_PORT to its port.`,
    );
  return health;
}

/**
 * The token of this CLI's own state folder (LOCAL_CLOUD_DIR, else ./.local-cloud), which the mutating /_local
 * endpoints need. Never one from a folder the answering server names: whatever holds the port would get it.
 */
function adminHeaders(health: Health): Record<string, string> {
  if (health.stateDir !== STATE_DIR)
    throw new CliFailure(
      health.stateDir
        ? `The local cloud at ${baseUrl} keeps its state in ${health.stateDir}, not ${STATE_DIR}: run this where it was started, or set LOCAL_CLOUD_DIR=${health.stateDir}`
        : `The local cloud at ${baseUrl} keeps no state on disk, so it has no admin token to read`,
    );
  const token = readAdminToken(STATE_DIR);
  if (!token)
    throw new CliFailure(
      `Cannot read ${path.join(STATE_DIR, ADMIN_TOKEN_FILE)}: run this as the user who started the local cloud`,
    );
  return { [ADMIN_TOKEN_HEADER]: token };
}

async function packageWithProgress(serviceDir: string): Promise<PackagedService> {
  const started = Date.now();
  process.stdout.write(`- packaging ${path.basename(serviceDir)} (serverless package --stage local)... `);
  try {
    const packaged = await packageService(serviceDir);
    console.log(`${((Date.now() - started) / 1000).toFixed(1)}s`);
    return packaged;
  } catch (error) {
    console.log('failed');
    throw new CliFailure((error as Error).message);
  }
}

/**
 * Packages the services side by side (each `serverless package` waits on its own I/O and child processes: on 2
 * cores the three of the shop take ~6 s together instead of ~13 s one after another), saying as each finishes.
 * They are deployed afterwards in the order given. Any that fail are all reported, then the start stops.
 */
async function packageAll(serviceDirs: string[]): Promise<PackagedService[]> {
  if (serviceDirs.length <= 1) return Promise.all(serviceDirs.map(packageWithProgress));
  const started = Date.now();
  const names = serviceDirs.map((dir) => path.basename(dir));
  console.log(`- packaging ${names.join(', ')} (serverless package --stage local, side by side)`);
  const results = await Promise.allSettled(
    serviceDirs.map(async (dir, index) => {
      try {
        const packaged = await packageService(dir);
        console.log(`  ${names[index]} packaged in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return packaged;
      } catch (error) {
        console.log(`  ${names[index]} failed`);
        throw error;
      }
    }),
  );
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected'
      ? [`${names[index]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`]
      : [],
  );
  if (failures.length > 0) throw new CliFailure(failures.join('\n'));
  return results.map((result) => (result as PromiseFulfilledResult<PackagedService>).value);
}

const endpointsOf = (outputs: Array<{ key: string; value: unknown }>) =>
  outputs.filter((output) => output.key === 'ServiceEndpoint').map((output) => String(output.value));

async function deploy(serviceDir: string): Promise<void> {
  const health = await runningCloud();
  const headers = adminHeaders(health);
  const { stackName, templateFile, artifactsDir } = await packageWithProgress(path.resolve(serviceDir));
  const response = await fetch(`${baseUrl}/_local/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ stackName, templateFile, artifactsDir }),
  });
  const body = (await response.json()) as {
    message?: string;
    outputs?: Array<{ key: string; value: unknown }>;
  };
  if (!response.ok) throw new CliFailure(`Deploy of ${stackName} refused: ${body.message}`);
  console.log(`- deployed ${stackName}`);
  for (const url of endpointsOf(body.outputs ?? [])) console.log(`  ${url}`);
}

async function remove(serviceDir: string): Promise<void> {
  let service: string;
  try {
    const state = JSON.parse(
      readFileSync(path.join(serviceDir, '.serverless/serverless-state.json'), 'utf8'),
    ) as { service: { service: string } };
    service = state.service.service;
  } catch {
    throw new CliFailure(
      `${serviceDir} was not packaged here (no .serverless/serverless-state.json): nothing to remove`,
    );
  }
  const health = await runningCloud();
  const response = await fetch(`${baseUrl}/_local/stacks/${service}-local`, {
    method: 'DELETE',
    headers: adminHeaders(health),
  });
  const body = (await response.json()) as { message?: string };
  if (!response.ok) throw new CliFailure(`Remove of ${service}-local refused: ${body.message}`);
  console.log(`- removed ${service}-local`);
}

async function status(): Promise<void> {
  const health = await runningCloud();
  console.log(`A local cloud runs at ${health.endpoint} (state ${health.stateDir ?? 'in memory'}).`);
  if (health.stacks.length === 0) console.log('No stacks deployed.');
  for (const stack of health.stacks) {
    console.log(`  ${stack.stackName}  ${stack.status}`);
    for (const url of endpointsOf(stack.outputs)) console.log(`    ${url}`);
  }
}

/** `console`: a new one-time sign-in link, asked of the running cloud with this state folder's admin token. */
async function consoleLink(): Promise<void> {
  const health = await runningCloud();
  const answer = await fetch(`${baseUrl}/_local/console-link`, {
    method: 'POST',
    headers: { ...adminHeaders(health), 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await answer.json()) as { url?: string; message?: string };
  if (!answer.ok || !body.url)
    throw new CliFailure(body.message ?? `The local cloud answered ${answer.status}`);
  console.log(body.url);
}

/**
 * Refuses to start when the port is taken, before seconds of packaging: by a local cloud already running (its
 * /_local/health answers), or by another program.
 */
async function ensurePortIsFree(): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (free) return;
  const health = await healthOf(2000);
  const next = `LOCAL_CLOUD_PORT=${port + 1} npx local-cloud ${process.argv.slice(2).join(' ')}`;
  throw new CliFailure(
    health
      ? `A local cloud already runs at ${baseUrl}: use it, stop it (Ctrl-C where it runs), or start another on a free port: ${next}`
      : `Port ${port} is in use by another program: free it, or start the local cloud on another port: ${next}`,
  );
}

async function start(args: string[]): Promise<void> {
  const shop = args.includes('--shop');
  const dirs: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--shop') continue;
    const dir = args[index + 1];
    if (arg === '--deploy' && dir !== undefined && !dir.startsWith('-')) {
      dirs.push(path.resolve(dir));
      index++;
    } else throw new CliFailure(`start: unexpected ${arg}\n\n${HELP.start}`, 2);
  }
  const missingShop = shop ? SHOP_SERVICES.find((dir) => !existsSync(dir)) : undefined;
  if (missingShop)
    throw new CliFailure(
      `start --shop deploys this repo's services and needs a clone of it (${missingShop} is missing): use --deploy <your service dir>`,
      2,
    );
  await ensurePortIsFree();
  const started = Date.now();
  const relative = path.relative(process.cwd(), STATE_DIR);
  console.log(
    `Starting the local cloud on ${baseUrl} (state in ${relative.startsWith('..') ? STATE_DIR : relative || '.'}/)`,
  );
  mkdirSync(STATE_DIR, { recursive: true });
  // Package before starting: a service that fails to package stops the start before anything listens.
  // Each folder once: two packagings of one folder at once would write the same .serverless and .esbuild.
  const serviceDirs = [...new Set([...(shop ? SHOP_SERVICES : []), ...dirs].map((dir) => path.resolve(dir)))];
  const packages = await packageAll(serviceDirs);
  const cloud = await LocalCloud.start({
    port,
    stateDir: STATE_DIR,
    identitiesFile: IDENTITIES_FILE,
    log: (line) => console.log(`  ${line}`),
  });
  const { configFile, credentialsFile } = cloud.writeProfiles(STATE_DIR);
  const stop = async () => {
    console.log('\nStopping...');
    await cloud.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  for (const input of packages) {
    await cloud.deploy(input);
    console.log(`- deployed ${input.stackName}`);
  }
  if (shop) return welcomeToTheShop(cloud, STATE_DIR, started);
  console.log(`
Ready in ${((Date.now() - started) / 1000).toFixed(1)}s.
${cloud
  .stacks()
  .map(
    (stack) =>
      `\n  ${stack.stackName}\n${endpointsOf(stack.outputs)
        .map((url) => `    ${url}\n`)
        .join('')}`,
  )
  .join('')}
Sign as the seeded developer (profile "local"; "partner" is a user of account 111111111111):
  npx signed-fetch --local <endpoint>/<path>${STATE_DIR === path.resolve('.local-cloud') ? '' : `    (with LOCAL_CLOUD_DIR=${STATE_DIR})`}
  export AWS_CONFIG_FILE=${configFile} AWS_SHARED_CREDENTIALS_FILE=${credentialsFile} AWS_PROFILE=local
  aws sts get-caller-identity

Why was a request refused? The console (this link works once; npx local-cloud console prints another):
  ${cloud.consoleUrl()}

Deploy more with: npx local-cloud deploy <service dir>. Ctrl-C stops it; data stays in ${STATE_DIR}.`);
}

/** `idp-token --user alice`: only the token on stdout, so `TOKEN=$(npx local-cloud idp-token --user alice)` works. */
async function idpToken(args: string[]): Promise<void> {
  const at = args.indexOf('--user');
  const user = at >= 0 ? args[at + 1] : undefined;
  if (!user) throw new CliFailure(HELP['idp-token'] as string, 2);
  await runningCloud();
  console.log(await staffToken(baseUrl, user, IDENTITIES_FILE));
}

/** The one `<service dir>` of deploy and remove: positional, or `--service-dir <dir>` (the nx targets). */
function serviceDirOf(command: string, args: string[]): string {
  const rest = args[0] === '--service-dir' ? args.slice(1) : args;
  if (rest.length === 0 || rest[0]?.startsWith('-'))
    throw new CliFailure(`${command}: which service? Give its folder.\n\n${HELP[command]}`, 2);
  if (rest.length > 1) throw new CliFailure(`${command}: unexpected ${rest[1]}\n\n${HELP[command]}`, 2);
  return rest[0] as string;
}

async function main(): Promise<void> {
  const [command = '', ...args] = process.argv.slice(2);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliFailure(`LOCAL_CLOUD_PORT must be a port number, not ${process.env.LOCAL_CLOUD_PORT}`, 2);
  if (['--help', '-h', 'help', ''].includes(command)) {
    const topic = HELP[args[0] ?? ''];
    if (command === '') throw new CliFailure(USAGE, 2);
    console.log(topic ?? USAGE);
    return;
  }
  if (!Object.hasOwn(HELP, command)) throw new CliFailure(`Unknown command ${command}\n\n${USAGE}`, 2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP[command]);
    return;
  }
  switch (command) {
    case 'start':
      return start(args);
    case 'deploy':
      return deploy(serviceDirOf(command, args));
    case 'remove':
      return remove(serviceDirOf(command, args));
    case 'status':
      return status();
    case 'console':
      return consoleLink();
    case 'idp-token':
      return idpToken(args);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof CliFailure ? error.code : 1);
});
