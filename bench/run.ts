import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageService } from '@sigv4-auth/local-cloud';
import { benchCognito, cognitoGoals, cognitoTable } from './cognito';
import { benchColdStarts } from './coldstart';
import { benchConsole } from './console';
import { benchDynamoDBAuthorization } from './dynamodb-authz';
import { benchFetchOverhead } from './fetch-overhead';
import { benchGateway } from './gateway';
import { benchLambdaRuntime } from './lambda-runtime';
import { FULL, QUICK } from './measure';
import { benchOrders } from './orders';
import { benchPeers } from './peers';
import { benchSign } from './sign';
import { benchStartReady } from './start-ready';

const ROOT = path.resolve(__dirname, '..');
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const STEPS = [
  'sign',
  'fetch-overhead',
  'gateway',
  'console',
  'lambda-runtime',
  'orders',
  'dynamodb-authz',
  'coldstart',
  'start-ready',
  'cognito',
  'peers',
] as const;

/** `--only a,b` (or `--only=a,b`): the steps to run; all when absent. */
function selectedSteps(argv: string[]): Set<string> | undefined {
  const index = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  if (index < 0) return undefined;
  const arg = argv[index] as string;
  const value = arg === '--only' ? (argv[index + 1] ?? '') : arg.slice('--only='.length);
  const names = value.split(',').filter(Boolean);
  const unknown = names.filter((name) => !(STEPS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(`--only takes a comma-separated list of: ${STEPS.join(', ')} (got '${value}')`);
  return new Set(names);
}

/**
 * `npm run bench [-- --quick] [-- --only cognito,gateway]`: measures, prints tables, writes
 * bench/results/latest.json (with `--only`, bench/results/only.json: a partial run never replaces a full one).
 * Medians of several rounds; compare ratios, not absolute times, across machines.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = selectedSteps(process.argv.slice(2));
  const runs = (name: (typeof STEPS)[number]) => !only || only.has(name);
  const results: Record<string, unknown> = {};
  const options = quick ? QUICK : FULL;
  const started = Date.now();
  const step = (text: string) => console.log(`\n- ${text} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(
    `Benchmarks (${quick ? 'quick' : 'full'}: ${options.rounds} rounds x ${options.roundMs} ms, medians)`,
  );

  if (runs('sign')) {
    step('signing a 1 KB JSON POST, per signer');
    const sign = await benchSign(options);
    const { ours_to_aws4: ratio, ...signers } = sign;
    console.table(
      Object.fromEntries(
        Object.entries(signers).map(([name, us]) => [
          name,
          { 'µs/request': round(us), 'x aws4': round(us / sign.aws4_us, 2) },
        ]),
      ),
    );
    console.log(
      `  ours / aws4, round by round: median ${round(ratio.median, 2)} (${round(ratio.min, 2)}-${round(ratio.max, 2)}); goal <= 1.0 ${ratio.median <= 1 ? '✓' : '✗'}`,
    );
    results.sign = sign;
  }

  if (runs('fetch-overhead')) {
    step('signed-fetch overhead per request');
    const fetchOverhead = await benchFetchOverhead(options);
    console.table({
      µs: Object.fromEntries(Object.entries(fetchOverhead).map(([key, value]) => [key, round(value)])),
    });
    results.fetch_overhead_us = fetchOverhead.overhead_us;
    results.fetch = fetchOverhead;
  }

  if (runs('gateway')) {
    step('gateway: the same function behind AWS_IAM, COGNITO_USER_POOLS, CUSTOM and NONE, concurrency 8');
    const gateway = await benchGateway(quick ? 600 : 3000, quick ? 3 : 5);
    const { spreads, cpu, ...figures } = gateway;
    console.table({
      result: Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, round(value, 2)])),
    });
    if (cpu) {
      console.log('  CPU µs per request, by process (medians over the rounds):');
      console.table(cpu);
      const extra = (kind: 'iam' | 'cognito' | 'custom' | 'keyed', base: 'none' | 'plain') =>
        cpu[kind].cloud_us - cpu[base].cloud_us;
      console.log(
        `  the cloud's extra CPU per request vs NONE: AWS_IAM ${extra('iam', 'none')} µs, COGNITO ${extra('cognito', 'plain')} µs, CUSTOM cached ${extra('custom', 'plain')} µs, API key ${extra('keyed', 'plain')} µs`,
      );
    }
    const goals = { iam_to_none: 0.95, cognito_to_none: 0.95, custom_to_none: 0.92, keyed_to_none: 0.95 };
    for (const [key, spread] of Object.entries(spreads))
      console.log(
        `  ${key}: median ${round(spread.median, 2)} (rounds ${round(spread.min, 2)}-${round(spread.max, 2)}); goal >= ${goals[key as keyof typeof goals]} ${spread.median >= goals[key as keyof typeof goals] ? '✓' : '✗'}`,
      );
    results.gateway = gateway;
  }

  if (runs('console')) {
    step(
      'console: gateway requests/s (NONE, concurrency 8) with the console closed, read and open in Chromium',
    );
    const consoleBench = await benchConsole(quick ? 1000 : 4000, quick ? 3 : 7);
    console.table({
      result: Object.fromEntries(Object.entries(consoleBench).map(([key, value]) => [key, round(value, 2)])),
    });
    console.log(
      `  goal open/closed >= 0.95: reader ${round(consoleBench.reader_to_closed, 2)}${
        consoleBench.browser_to_closed === undefined
          ? ''
          : `, browser ${round(consoleBench.browser_to_closed, 2)}`
      }`,
    );
    results.console = consoleBench;
  }

  if (runs('lambda-runtime')) {
    step('Lambda runtime: cold start (new process, init, first answer) and warm invoke (NONE route, c=1)');
    const lambdaRuntime = await benchLambdaRuntime(options, quick ? 3 : 7);
    console.table({
      result: Object.fromEntries(Object.entries(lambdaRuntime).map(([key, value]) => [key, round(value, 3)])),
    });
    results.lambda_runtime = lambdaRuntime;
  }

  if (runs('orders')) {
    step('POST /orders end to end (packaging both services first)');
    const orders = await benchOrders(quick ? 60 : 300);
    const { cpu_c1, cpu_c16, ...orderFigures } = orders;
    console.table({
      result: Object.fromEntries(Object.entries(orderFigures).map(([key, value]) => [key, round(value, 1)])),
    });
    if (cpu_c1 && cpu_c16) {
      console.log('  CPU µs per order, by process:');
      console.table({ 'concurrency 1': cpu_c1, 'concurrency 16': cpu_c16 });
      // The bound for the concurrent run comes from its own CPU per order (at concurrency 1 the processes take
      // turns, and each order costs more: more wake-ups per order, nothing batched).
      const total = cpu_c16.cloud_us + cpu_c16.functions_us + cpu_c16.driver_us;
      const cores = os.availableParallelism();
      console.log(
        `  ${total} µs of CPU per order at concurrency 16: at most ${Math.round((cores * 1e6) / total)} orders/s on ${cores} cores (measured ${round(orders.rps_c16)}/s)`,
      );
    }
    results.orders = orders;
  }

  if (runs('dynamodb-authz')) {
    step('authorizing one DynamoDB call (permissions of the request, IAM engine), in process');
    const authz = await benchDynamoDBAuthorization(options);
    console.table({
      result: Object.fromEntries(Object.entries(authz).map(([key, value]) => [key, round(value, 1)])),
    });
    results.dynamodb_authz = authz;
  }

  if (runs('coldstart')) {
    step('cold start per function (bundle bytes, init in a fresh process)');
    const packages = await Promise.all(
      ['customer-service', 'identity-service', 'order-service'].map((service) =>
        packageService(path.join(ROOT, 'apps', service), { isolated: true }),
      ),
    );
    const coldstart = await benchColdStarts(packages, quick ? 3 : 7);
    console.table(
      coldstart.map((entry) => ({
        ...entry,
        init_ms: round(entry.init_ms),
        baseline_init_ms: round(entry.baseline_init_ms),
        init_with_source_maps_ms: round(entry.init_with_source_maps_ms),
        'init x baseline': round(entry.init_ms / entry.baseline_init_ms, 2),
      })),
    );
    results.coldstart = coldstart;
  }

  if (runs('start-ready')) {
    step('npm start: time to ready');
    const startReady = await benchStartReady();
    console.log(`  ${round(startReady)} s`);
    results.start_ready_s = startReady;
  }

  if (runs('cognito')) {
    step(
      'Cognito: password and SRP sign-ins, client_credentials and refresh tokens (in-memory cloud process)',
    );
    const cognito = await benchCognito(quick ? 150 : 500, quick ? 20 : 60);
    console.table(cognitoTable(cognito));
    const goals = cognitoGoals(cognito);
    for (const goal of goals) console.log(`  goal ${goal.goal}: ${goal.result} ${goal.met ? '✓' : '✗'}`);
    results.cognito = cognito;
    results.cognito_goals = goals;
  }

  if (runs('peers')) {
    step(
      'peers: the same trivial handler, serverless-offline (NONE) vs the local cloud (NONE, AWS_IAM, Cognito, cached Lambda authorizer), autocannon c=8',
    );
    const peers = await benchPeers(quick ? 2 : 4, quick ? 2 : 3);
    const { ratios, ...figures } = peers;
    console.table({
      result: Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, round(value, 1)])),
    });
    for (const [kind, spread] of Object.entries(ratios))
      console.log(
        `  local ${kind} / serverless-offline NONE: median ${round(spread.median, 2)} (rounds ${round(spread.min, 2)}-${round(spread.max, 2)}); goal >= 2.5 ${spread.median >= 2.5 ? '✓' : '✗'}`,
      );
    results.peers = peers;
  }

  Object.assign(results, {
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
    },
    mode: quick ? 'quick' : 'full',
    ...(only ? { only: [...only] } : {}),
    date: new Date().toISOString(),
  });
  const file = path.join(__dirname, 'results', only ? 'only.json' : 'latest.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nWrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
