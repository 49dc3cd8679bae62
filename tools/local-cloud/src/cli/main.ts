import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN_TOKEN_FILE, ADMIN_TOKEN_HEADER, readAdminToken } from '../admin';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../identity';
import { staffToken } from '../idp';
import { DEFAULT_PORT, LocalCloud } from '../local-cloud';
import { packageService, type PackagedService } from './package-service';

const ROOT = path.resolve(__dirname, '../../../..');
/** `LOCAL_CLOUD_DIR` moves the state (benchmarks and tests use a temporary one). */
const STATE_DIR = process.env.LOCAL_CLOUD_DIR ?? path.join(ROOT, '.local-cloud');
/** Deployed in this order: each imports the exports of the ones before it. */
const SERVICES = ['customer-service', 'identity-service', 'order-service'];
/**
 * The shop's demo end user, made with Cognito's Admin API at every start (so it exists in a fresh state folder).
 * Its password is for the local cloud only and published here, like the seeded IAM keys: never use it on AWS.
 */
const DEMO_USER = { email: 'demo@example.com', password: 'Local-Demo-Passw0rd' };
const port = Number(process.env.LOCAL_CLOUD_PORT ?? DEFAULT_PORT);
const baseUrl = `http://127.0.0.1:${port}`;

/** The token the running cloud wrote to its state folder: the mutating /_local endpoints need it. */
function adminHeaders(): Record<string, string> {
  const token = readAdminToken(STATE_DIR);
  if (!token) {
    console.error(`No ${path.join(STATE_DIR, ADMIN_TOKEN_FILE)}: start the local cloud first (npm start)`);
    process.exit(1);
  }
  return { [ADMIN_TOKEN_HEADER]: token };
}

function packageWithProgress(serviceDir: string): PackagedService {
  const started = Date.now();
  process.stdout.write(`- packaging ${path.basename(serviceDir)} (serverless package --stage local)... `);
  const packaged = packageService(serviceDir);
  console.log(`${((Date.now() - started) / 1000).toFixed(1)}s`);
  return packaged;
}

async function deployToRunningCloud(serviceDir: string): Promise<void> {
  const { stackName, templateFile, artifactsDir } = packageWithProgress(path.resolve(serviceDir));
  const input = { stackName, templateFile, artifactsDir };
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/_local/deploy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminHeaders() },
      body: JSON.stringify(input),
    });
  } catch {
    console.error(`No local cloud answers at ${baseUrl}. Start it first: npm start`);
    process.exit(1);
  }
  const body = (await response.json()) as {
    message?: string;
    outputs?: Array<{ key: string; value: string }>;
  };
  if (!response.ok) {
    console.error(`Deploy of ${input.stackName} refused: ${body.message}`);
    process.exit(1);
  }
  console.log(`- deployed ${input.stackName}`);
  for (const output of body.outputs ?? [])
    if (output.key === 'ServiceEndpoint') console.log(`  ${output.value}`);
}

/**
 * Refuses to start (exit 1) when the port is taken, before seconds of packaging: by a local cloud already running
 * (its /_local/health answers), or by another program.
 */
async function ensurePortIsFree(): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (free) return;
  const health = await fetch(`${baseUrl}/_local/health`, { signal: AbortSignal.timeout(2000) }).catch(
    () => undefined,
  );
  const next = `LOCAL_CLOUD_PORT=${port + 1} npm start`;
  console.error(
    health?.ok
      ? `A local cloud already runs at ${baseUrl}: use it, stop it (Ctrl-C where it runs), or start another on a free port: ${next}`
      : `Port ${port} is in use by another program: free it, or start the local cloud on another port: ${next}`,
  );
  process.exit(1);
}

async function start(): Promise<void> {
  await ensurePortIsFree();
  const started = Date.now();
  console.log(
    `Starting the local cloud on ${baseUrl} (state in ${path.relative(process.cwd(), STATE_DIR) || '.'}/)`,
  );
  mkdirSync(STATE_DIR, { recursive: true });
  // Package before starting: packaging blocks this process, and must not freeze a running cloud.
  const packages = SERVICES.map((service) => packageWithProgress(path.join(ROOT, 'apps', service)));
  const cloud = await LocalCloud.start({
    port,
    stateDir: STATE_DIR,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => console.log(`  ${line}`),
  });
  cloud.writeProfiles(STATE_DIR);
  for (const input of packages) {
    await cloud.deploy(input);
    console.log(`- deployed ${input.stackName}`);
  }
  const output = (stack: string, key: string) =>
    cloud
      .stacks()
      .find((s) => s.stackName === stack)
      ?.outputs.find((o) => o.key === key)?.value;
  const endpoint = (stack: string) => output(stack, 'ServiceEndpoint');
  const poolId = output('identity-service-local', 'UserPoolId') as string;
  const webClientId = output('identity-service-local', 'WebClientId') as string;
  const partnerClientId = output('identity-service-local', 'PartnerClientId') as string;
  const partnerKey =
    cloud.apiKeys().find((key) => key.name === 'partner-acme-local')?.value ?? '<none deployed>';
  await ensureDemoUser(cloud.url, poolId, webClientId);
  console.log(
    `- demo user ${DEMO_USER.email} (password ${DEMO_USER.password}, local only) in pool ${poolId}`,
  );
  console.log(`
Ready in ${((Date.now() - started) / 1000).toFixed(1)}s.

  customer-service  ${endpoint('customer-service-local')}
  order-service     ${endpoint('order-service-local')}
  identity-service  user pool ${poolId}, web client ${webClientId}, partner client ${partnerClientId}

Identities (infra/local/identities.json): user developer (admin, profile "local"), user partner (account
111111111111), roles customer-reader and no-access (arn:aws:iam::000000000000:role/...).

Try (signed-fetch signs with the local profile; add -v to see the canonical request):
  CUSTOMER=$(npx signed-fetch --local --json '{"name":"Ada","email":"ada@example.com"}' ${endpoint('customer-service-local')}/customers | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
  npx signed-fetch --local --json '{"customerId":"'$CUSTOMER'","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":1250}]}' ${endpoint('order-service-local')}/orders
  npx signed-fetch --local -i ${endpoint('customer-service-local')}/whoami
  npx signed-fetch --local --role-arn arn:aws:iam::000000000000:role/no-access -f ${endpoint('customer-service-local')}/whoami
  npx signed-fetch --local --profile partner ${endpoint('customer-service-local')}/whoami    # another account: 403, explicit deny

Or the AWS CLI:
  export AWS_CONFIG_FILE=${path.join(STATE_DIR, 'aws-config')} AWS_SHARED_CREDENTIALS_FILE=${path.join(STATE_DIR, 'aws-credentials')} AWS_PROFILE=local
  aws sts get-caller-identity
  aws cloudformation describe-stacks

End users (Cognito; confirmation codes appear in this log, as the mail Cognito would send):
  aws cognito-idp sign-up --client-id ${webClientId} --username you@example.com --password 'Your-Passw0rd'
  aws cognito-idp confirm-sign-up --client-id ${webClientId} --username you@example.com --confirmation-code <code>
  aws cognito-idp initiate-auth --client-id ${webClientId} --auth-flow USER_PASSWORD_AUTH --auth-parameters USERNAME=${DEMO_USER.email},PASSWORD=${DEMO_USER.password}

Partners (an OAuth2 client_credentials token with scope orders-api/orders.read authenticates; the API key only
identifies and meters: usage plan "partners", bursts of 20, 10/s, 10,000 a day):
  PARTNER=$(curl -s -u ${partnerClientId}:$(aws cognito-idp describe-user-pool-client --user-pool-id ${poolId} --client-id ${partnerClientId} --query UserPoolClient.ClientSecret --output text) -d grant_type=client_credentials ${cloud.url}/_aws/cognito-idp/oauth2/token | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -s -H "Authorization: Bearer $PARTNER" -H 'x-api-key: ${partnerKey}' ${endpoint('order-service-local')}/partner/orders/<order id>
  aws apigateway get-api-keys --include-values    # the key (generated at deploy; never in the repo)

Shop as the demo user (API Gateway's Cognito authorizer checks the ID token; you only ever see your own orders):
  TOKEN=$(aws cognito-idp initiate-auth --client-id ${webClientId} --auth-flow USER_PASSWORD_AUTH --auth-parameters USERNAME=${DEMO_USER.email},PASSWORD=${DEMO_USER.password} --query AuthenticationResult.IdToken --output text)
  curl -s -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"items":[{"sku":"BOOK-1","quantity":2,"unitPrice":1250}]}' ${endpoint('order-service-local')}/me/orders
  curl -s -H "Authorization: Bearer $TOKEN" ${endpoint('order-service-local')}/me/orders

Staff (the local corporate IdP at ${cloud.url}/oidc; alice is in support, bob in admin, eve in no group; a Lambda
authorizer checks their token and API Gateway caches its policy 300 s):
  STAFF=$(npx local-cloud idp-token --user alice)
  curl -s -H "Authorization: Bearer $STAFF" ${endpoint('order-service-local')}/admin/orders
  curl -s -X DELETE -H "Authorization: Bearer $(npx local-cloud idp-token --user bob)" ${endpoint('order-service-local')}/admin/orders/<order id>

Ctrl-C stops it; data stays in .local-cloud/.`);
  const stop = async () => {
    console.log('\nStopping...');
    await cloud.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Creates the demo user (confirmed, with its published local password, and its customer record) unless it exists. */
async function ensureDemoUser(endpoint: string, poolId: string, webClientId: string): Promise<void> {
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: seededUserKeys('developer'),
  });
  try {
    const existing = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: DEMO_USER.email }),
    );
    // A start interrupted between the two calls below left it unconfirmed: finish the job.
    if (existing.UserStatus === 'UNCONFIRMED')
      await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: DEMO_USER.email }));
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
    // Signed up and then confirmed by the admin, so the PostConfirmation trigger creates its customer record.
    await cognito.send(
      new SignUpCommand({
        ClientId: webClientId,
        Username: DEMO_USER.email,
        Password: DEMO_USER.password,
        UserAttributes: [{ Name: 'name', Value: 'Demo User' }],
      }),
    );
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: DEMO_USER.email }));
  } finally {
    cognito.destroy();
  }
}

const USAGE = `Usage: local-cloud <command>

  start                              start the local cloud and deploy this repo's services (npm start)
  deploy --service-dir <dir>         package and deploy a Serverless service into the running cloud
  remove --service-dir <dir>         remove that service's stack
  idp-token --user <name>            sign a staff user in at the local IdP (authorization code + PKCE, the
                                     published local password) and print the access token

The cloud's URL: LOCAL_CLOUD_PORT (default ${DEFAULT_PORT}). Staff users: infra/local/identities.json.`;

/** `idp-token --user alice`: only the token on stdout, so `TOKEN=$(npx local-cloud idp-token --user alice)` works. */
async function idpToken(args: string[]): Promise<void> {
  const at = args.indexOf('--user');
  const user = at >= 0 ? args[at + 1] : undefined;
  if (args.includes('--help') || !user) {
    (user ? console.log : console.error)('Usage: local-cloud idp-token --user <alice|bob|eve|...>');
    if (!user) process.exit(2);
    return;
  }
  const answering = await fetch(`${baseUrl}/_local/health`).catch(() => undefined);
  if (!answering) {
    console.error(`No local cloud answers at ${baseUrl}. Start it first: npm start`);
    process.exit(1);
  }
  console.log(await staffToken(baseUrl, user, LOCAL_IDENTITIES_FILE));
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const serviceDir = args[args.indexOf('--service-dir') + 1] ?? '.';
  switch (command) {
    case 'start':
      return start();
    case 'deploy':
      return deployToRunningCloud(serviceDir);
    case 'remove': {
      const state = JSON.parse(
        readFileSync(path.join(serviceDir, '.serverless/serverless-state.json'), 'utf8'),
      ) as { service: { service: string } };
      const response = await fetch(`${baseUrl}/_local/stacks/${state.service.service}-local`, {
        method: 'DELETE',
        headers: adminHeaders(),
      }).catch(() => undefined);
      if (!response) {
        console.error(`No local cloud answers at ${baseUrl}. Start it first: npm start`);
        process.exit(1);
      }
      console.log(JSON.stringify(await response.json()));
      return;
    }
    case 'idp-token':
      return idpToken(args);
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return;
    default:
      console.error(USAGE);
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
