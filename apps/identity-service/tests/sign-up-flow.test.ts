import path from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  lastMailedCode,
  LOCAL_IDENTITIES_FILE,
  LocalCloud,
  packageService,
  removeIsolatedBuilds,
  seededUserKeys,
  cognitoClient,
} from '@sigv4-auth/local-cloud';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';

/**
 * The whole end-user story through the real services in an in-memory local cloud: customer-service and
 * identity-service deployed from their packaged templates, a user signs up with the SDK, confirms with the code
 * Cognito would mail (the local log), the PostConfirmation trigger creates the customer record (id = sub) with a
 * signed PUT under its own role, the user signs in with SRP through amazon-cognito-identity-js (as a web app
 * would) and the tokens verify with aws-jwt-verify; a partner gets a client_credentials token.
 */
const ROOT = path.resolve(__dirname, '../../..');
const PASSWORD = 'Shop-Password-1';
const developer = seededUserKeys('developer');

describe('sign-up to sign-in on the local cloud', () => {
  let cloud: LocalCloud;
  let cognito: CognitoIdentityProviderClient;
  let customerUrl: string;
  let poolId: string;
  let webClientId: string;
  let partnerClientId: string;
  let issuer: string;
  const lines: string[] = [];
  const asDeveloper = createSignedFetch({ credentials: developer, region: 'us-east-1' });

  beforeAll(async () => {
    const [customerService, identityService] = await Promise.all([
      packageService(path.join(ROOT, 'apps/customer-service'), { isolated: true }),
      packageService(path.join(ROOT, 'apps/identity-service'), { isolated: true }),
    ]);
    cloud = await LocalCloud.start({
      port: 0,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => lines.push(line),
    });
    const customers = await cloud.deploy(customerService);
    const identity = await cloud.deploy(identityService);
    const output = (stack: typeof identity, key: string) =>
      stack.outputs.find((entry) => entry.key === key)?.value as string;
    customerUrl = output(customers, 'ServiceEndpoint');
    poolId = output(identity, 'UserPoolId');
    webClientId = output(identity, 'WebClientId');
    partnerClientId = output(identity, 'PartnerClientId');
    issuer = output(identity, 'UserPoolIssuer');
    cognito = cognitoClient(cloud.url);
  }, 180_000);

  afterAll(async () => {
    cognito?.destroy();
    await cloud?.stop();
    removeIsolatedBuilds();
  });

  test('sign-up -> code -> confirm: the trigger created the customer with id = sub, signed as its own role', async () => {
    const { UserSub } = await cognito.send(
      new SignUpCommand({
        ClientId: webClientId,
        Username: 'ada@example.com',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'name', Value: 'Ada Lovelace' }],
      }),
    );
    // Nothing before the confirmation.
    expect((await asDeveloper(`${customerUrl}/customers/${UserSub}`)).status).toBe(404);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: webClientId,
        Username: 'ada@example.com',
        ConfirmationCode: lastMailedCode(lines, 'ada@example.com'),
      }),
    );
    const record = await asDeveloper(`${customerUrl}/customers/${UserSub}`);
    expect(record.status).toBe(200);
    expect(await record.json()).toMatchObject({
      id: UserSub,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      createdBy:
        'arn:aws:sts::000000000000:assumed-role/identity-service-local-us-east-1-lambdaRole/identity-service-local-onUserConfirmed',
    });
    const put = cloud.accessLog.find((entry) => entry.httpMethod === 'PUT');
    expect(put).toMatchObject({ status: 201, path: `/customers/${UserSub}` });
  });

  test('sign-in with SRP (amazon-cognito-identity-js) gives tokens that CognitoJwtVerifier accepts', async () => {
    const pool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: webClientId,
      endpoint: `${cloud.url}/`,
    });
    const user = new CognitoUser({ Username: 'ada@example.com', Pool: pool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: 'ada@example.com', Password: PASSWORD }), {
        onSuccess: resolve,
        onFailure: reject,
      }),
    );
    const jwks = (await (await fetch(`${cloud.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId: webClientId });
    verifier.cacheJwks(jwks);
    const claims = await verifier.verify(session.getIdToken().getJwtToken());
    expect(claims).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', email_verified: true });
    // The exported issuer is the tokens' iss, as a verifier in another stack would compare it.
    expect(claims.iss).toBe(issuer);

    // Refresh, then revoke: the refresh token is dead after it.
    const refreshToken = session.getRefreshToken().getToken();
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: webClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(refreshed.AuthenticationResult?.IdToken).toBeDefined();
    await cognito.send(new RevokeTokenCommand({ ClientId: webClientId, Token: refreshToken }));
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: webClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  test('when customer-service refuses, the confirmation fails and the user stays unconfirmed (no half-done sign-up)', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: webClientId, Username: 'bob@example.com', Password: PASSWORD }),
    );
    const code = lastMailedCode(lines, 'bob@example.com');
    cloud.faults.add({ target: 'customer-service-local-putCustomer', mode: 'error', count: 10 });
    try {
      await expect(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: webClientId,
            Username: 'bob@example.com',
            ConfirmationCode: code,
          }),
        ),
      ).rejects.toMatchObject({ name: 'UserLambdaValidationException' });
    } finally {
      cloud.faults.clear();
    }
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob@example.com' }),
    );
    expect(user.UserStatus).toBe('UNCONFIRMED');
    // The same code works once customer-service is back.
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: webClientId,
        Username: 'bob@example.com',
        ConfirmationCode: code,
      }),
    );
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob@example.com' })))
        .UserStatus,
    ).toBe('CONFIRMED');
  });

  test('a partner gets a client_credentials token with scope orders-api/orders.read', async () => {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: partnerClientId }),
    );
    // The stack's TokenEndpoint output (the pool domain's URL on AWS) is the local endpoint here.
    const tokenEndpoint = cloud
      .stacks()
      .find((stack) => stack.stackName === 'identity-service-local')
      ?.outputs.find((entry) => entry.key === 'TokenEndpoint')?.value as string;
    expect(tokenEndpoint).toBe(`${cloud.url}/_aws/cognito-idp/oauth2/token`);
    const answer = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${partnerClientId}:${UserPoolClient?.ClientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(200);
    const { access_token: token } = (await answer.json()) as { access_token: string };
    const verifier = CognitoJwtVerifier.create({
      userPoolId: poolId,
      tokenUse: 'access',
      clientId: partnerClientId,
      scope: 'orders-api/orders.read',
    });
    verifier.cacheJwks((await (await fetch(`${cloud.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: partnerClientId });
  });
});
