import path from 'node:path';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { seededUserKeys } from '../identity';
import type { LocalCloud } from '../local-cloud';

const ROOT = path.resolve(__dirname, '../../../..');

/** This repo's services (`start --shop`, what `npm start` runs), in deploy order: each imports the ones before. */
export const SHOP_SERVICES = ['customer-service', 'identity-service', 'order-service'].map((service) =>
  path.join(ROOT, 'apps', service),
);

/**
 * The shop's demo end user, made with Cognito's Admin API at every start (so it exists in a fresh state folder).
 * Its password is for the local cloud only and published here, like the seeded IAM keys: never use it on AWS.
 */
const DEMO_USER = { email: 'demo@example.com', password: 'Local-Demo-Passw0rd' };

/** After the shop's services are deployed: the demo user, then the ready-to-paste commands for every mechanism. */
export async function welcomeToTheShop(cloud: LocalCloud, stateDir: string, started: number): Promise<void> {
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
  export AWS_CONFIG_FILE=${path.join(stateDir, 'aws-config')} AWS_SHARED_CREDENTIALS_FILE=${path.join(stateDir, 'aws-credentials')} AWS_PROFILE=local
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

Why was a request refused? The console shows every decision live (this link works once; npx local-cloud console
prints another): ${cloud.consoleUrl()}

Ctrl-C stops it; data stays in ${stateDir}.`);
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
