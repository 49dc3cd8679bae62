import path from 'node:path';
import { TRIVIAL_HANDLER } from './peer-handler';
import {
  ALLOW_API_AUTHORIZER,
  cognitoClient,
  createConfirmedUser,
  deployProbeStack,
  deployUserPoolStack,
  LocalCloud,
  LOCAL_IDENTITIES_FILE,
  packageService,
  passwordTokens,
} from '@sigv4-auth/local-cloud';

/**
 * A local cloud in its own process for the benchmarks (as `npm start` runs it), so the load generator does not
 * share its event loop. Deploys what argv asks for, prints one JSON line of URLs, runs until stdin closes.
 *   --probe     the probe function behind AWS_IAM, NONE, COGNITO_USER_POOLS (with a user's ID token for it) and
 *               CUSTOM (a Lambda TOKEN authorizer allowing the whole API, cached 300 s, and uncached)
 *   --services  customer-service, identity-service and order-service (in that order), packaged from isolated copies
 *   --cognito   a user pool with a web and a partner client (the local cloud's test-support userPoolStackTemplate): its ids and secret
 *   --console   a one-time sign-in link to the console (`consoleLink`)
 *   --peers     TRIVIAL_HANDLER (bench/peers.ts) behind NONE, AWS_IAM, COGNITO_USER_POOLS (with an ID token) and a
 *               cached Lambda TOKEN authorizer: `peerNone`, `peerIam`, `peerCognito`, `peerCustom`, `peerIdToken`
 */
const ROOT = path.resolve(__dirname, '..');
/** The benchmark's own key for the metered probe (published: it meters a local probe, nothing else). */
const BENCH_API_KEY = 'BenchLocalApiKey0123456789';

async function deployPeerStacks(cloud: LocalCloud): Promise<Record<string, string>> {
  const pool = await deployUserPoolStack(cloud, { stackName: 'peer-pool' });
  const client = cognitoClient(cloud.url);
  await createConfirmedUser(client, pool.poolId, 'peer@example.com', 'Peer-Passw0rd');
  const { id } = await passwordTokens(client, pool.webClientId, 'peer@example.com', 'Peer-Passw0rd');
  client.destroy();
  const deploy = async (
    stackName: string,
    options: Parameters<typeof deployProbeStack>[1],
    authorizer?: string,
  ) =>
    (await deployProbeStack(cloud, { stackName, handlerSource: TRIVIAL_HANDLER, ...options }, authorizer))
      .url;
  return {
    peerNone: await deploy('peer-none', { authorizationType: 'NONE' }),
    peerIam: await deploy('peer-iam', { authorizationType: 'AWS_IAM' }),
    peerCognito: await deploy('peer-cognito', {
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn] },
    }),
    peerCustom: await deploy(
      'peer-custom',
      { authorizationType: 'CUSTOM', lambdaAuthorizer: { ttlSeconds: 300 } },
      ALLOW_API_AUTHORIZER,
    ),
    peerIdToken: id,
  };
}

async function main(): Promise<void> {
  const wants = new Set(process.argv.slice(2));
  const packaged = wants.has('--services')
    ? await Promise.all(
        ['customer-service', 'identity-service', 'order-service'].map((service) =>
          packageService(path.join(ROOT, 'apps', service), { isolated: true }),
        ),
      )
    : [];
  const cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
  });
  const urls: Record<string, string> = { cloud: cloud.url };
  if (wants.has('--probe')) {
    urls.iam = (await deployProbeStack(cloud, { stackName: 'bench-iam', authorizationType: 'AWS_IAM' })).url;
    urls.none = (await deployProbeStack(cloud, { stackName: 'bench-none', authorizationType: 'NONE' })).url;
    const pool = await deployUserPoolStack(cloud, { stackName: 'bench-authorizer-pool' });
    urls.cognito = (
      await deployProbeStack(cloud, {
        stackName: 'bench-cognito',
        authorizationType: 'COGNITO_USER_POOLS',
        cognito: { providerArns: [pool.poolArn] },
      })
    ).url;
    const client = cognitoClient(cloud.url);
    await createConfirmedUser(client, pool.poolId, 'bench@example.com', 'Bench-Passw0rd');
    urls.cognitoIdToken = (
      await passwordTokens(client, pool.webClientId, 'bench@example.com', 'Bench-Passw0rd')
    ).id;
    client.destroy();
    // The NONE probe again, but ApiKeyRequired with a key in a usage plan whose limits never bind here.
    urls.keyed = (
      await deployProbeStack(cloud, {
        stackName: 'bench-keyed',
        apiKeyRequired: true,
        extraResources: {
          BenchKey: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Value: BENCH_API_KEY } },
          BenchPlan: {
            Type: 'AWS::ApiGateway::UsagePlan',
            Properties: {
              ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: 'test' }],
              Throttle: { BurstLimit: 1_000_000, RateLimit: 1_000_000 },
              Quota: { Limit: 100_000_000, Period: 'DAY' },
            },
          },
          BenchPlanKey: {
            Type: 'AWS::ApiGateway::UsagePlanKey',
            Properties: { KeyId: { Ref: 'BenchKey' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'BenchPlan' } },
          },
        },
      })
    ).url;
    urls.benchApiKey = BENCH_API_KEY;
    for (const [key, ttlSeconds] of [
      ['custom', 300],
      ['customUncached', 0],
    ] as const)
      urls[key] = (
        await deployProbeStack(
          cloud,
          { stackName: `bench-${key}`, authorizationType: 'CUSTOM', lambdaAuthorizer: { ttlSeconds } },
          ALLOW_API_AUTHORIZER,
        )
      ).url;
  }
  if (wants.has('--cognito')) {
    const { poolId, webClientId, partnerClientId, partnerClientSecret } = await deployUserPoolStack(cloud, {
      stackName: 'bench-pool',
    });
    Object.assign(urls, { poolId, webClientId, partnerClientId, partnerClientSecret });
  }
  for (const input of packaged) {
    const stack = await cloud.deploy(input);
    const endpoint = stack.outputs.find((output) => output.key === 'ServiceEndpoint')?.value;
    urls[input.stackName.replace(/-local$/, '').replace(/-dev$/, '')] = String(endpoint);
  }
  if (wants.has('--peers')) Object.assign(urls, await deployPeerStacks(cloud));
  if (wants.has('--console')) urls.consoleLink = cloud.consoleUrl();
  process.stdout.write(`${JSON.stringify(urls)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void cloud.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
