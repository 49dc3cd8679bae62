import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { buildSync } from 'esbuild';
import { decodeJwt } from 'jose';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';
import { createConfirmedUser, refusalOf, cognitoClient } from '../src/testing/cognito-helpers';
import { pythonWithBotocore } from '../src/testing/python';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// Tokens as unmodified code meets them: client_credentials at the token endpoint (RFC 6749 bodies,
// https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html), CognitoJwtVerifier with its own
// JWKS fetch inside a local function, botocore and the AWS CLI as clients, and a restart that keeps it all valid.
const PASSWORD = 'Correct-Horse-9';
const DEVELOPER = seededUserKeys('developer');
const run = promisify(execFile);
/** The caller's environment without a profile choice, so the CLI takes exactly the keys given. */
function withoutProfile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _default, ...rest } = env;
  return rest;
}

async function jwksOf(cloud: LocalCloud, poolId: string): Promise<Jwks> {
  return (await (await fetch(`${cloud.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;
}

describe('in memory', () => {
  let cloud: LocalCloud;
  let pool: UserPoolStack;
  let cognito: CognitoIdentityProviderClient;
  const lines: string[] = [];
  const token = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${cloud.url}/_aws/cognito-idp/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });

  beforeAll(async () => {
    cloud = await LocalCloud.start({
      port: 0,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => lines.push(line),
    });
    pool = await deployUserPoolStack(cloud);
    cognito = cognitoClient(cloud.url);
  }, 60_000);

  afterAll(async () => {
    cognito?.destroy();
    await cloud?.stop();
  });

  describe('client_credentials', () => {
    test('client_secret_basic: an access token with the client’s scope, sub = client id, that CognitoJwtVerifier accepts', async () => {
      const answer = await token(
        'grant_type=client_credentials',
        basic(pool.partnerClientId, pool.partnerClientSecret),
      );
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { access_token: string; expires_in: number; token_type: string };
      expect(body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
      const verifier = CognitoJwtVerifier.create({
        userPoolId: pool.poolId,
        tokenUse: 'access',
        clientId: pool.partnerClientId,
        scope: 'orders-api/orders.read',
      });
      verifier.cacheJwks(await jwksOf(cloud, pool.poolId));
      const claims = await verifier.verify(body.access_token);
      expect(claims).toMatchObject({
        sub: pool.partnerClientId,
        client_id: pool.partnerClientId,
        scope: 'orders-api/orders.read',
        token_use: 'access',
      });
      expect(claims).not.toHaveProperty('username');
      expect(claims).not.toHaveProperty('cognito:groups');
    });

    test('client_secret_post, and an explicit scope the client has', async () => {
      const answer = await token(
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: pool.partnerClientId,
          client_secret: pool.partnerClientSecret,
          scope: 'orders-api/orders.read',
        }).toString(),
      );
      expect(answer.status).toBe(200);
      expect(decodeJwt(((await answer.json()) as { access_token: string }).access_token).scope).toBe(
        'orders-api/orders.read',
      );
    });

    const refusals: Array<[string, string, () => Promise<Response>]> = [
      [
        'a wrong secret',
        'invalid_client',
        () =>
          token('grant_type=client_credentials', basic(pool.partnerClientId, `${pool.partnerClientSecret}x`)),
      ],
      [
        'no secret',
        'invalid_client',
        () => token(`grant_type=client_credentials&client_id=${pool.partnerClientId}`),
      ],
      [
        'an unknown client',
        'invalid_client',
        () => token('grant_type=client_credentials', basic('nobody', 'secret')),
      ],
      [
        'a scope the client may not use',
        'invalid_scope',
        () =>
          token(
            'grant_type=client_credentials&scope=orders-api%2Forders.write',
            basic(pool.partnerClientId, pool.partnerClientSecret),
          ),
      ],
      [
        'a client without the flow',
        'unauthorized_client',
        () => token('grant_type=client_credentials', basic(pool.noFlowClientId, pool.noFlowClientSecret)),
      ],
      [
        'another grant type',
        'unsupported_grant_type',
        () =>
          token(
            'grant_type=password&username=a&password=b',
            basic(pool.partnerClientId, pool.partnerClientSecret),
          ),
      ],
      [
        'no grant type',
        'invalid_request',
        () => token('', basic(pool.partnerClientId, pool.partnerClientSecret)),
      ],
      [
        'a JSON body',
        'invalid_request',
        () =>
          token('{}', {
            'content-type': 'application/json',
            ...basic(pool.partnerClientId, pool.partnerClientSecret),
          }),
      ],
    ];
    test.each(refusals)('%s -> 400 %s', async (_label, error, send) => {
      const answer = await send();
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ error });
    });

    test('neither the client secret nor an issued token ever reaches the log (refusals included)', async () => {
      const answer = await token(
        'grant_type=client_credentials',
        basic(pool.partnerClientId, pool.partnerClientSecret),
      );
      const { access_token: issued } = (await answer.json()) as { access_token: string };
      await token('grant_type=client_credentials', basic(pool.partnerClientId, 'wrong-secret-xyz'));
      const log = lines.join('\n');
      for (const secret of [pool.partnerClientSecret, pool.secretClientSecret, issued, 'wrong-secret-xyz'])
        expect(log).not.toContain(secret);
    });
  });

  test('JWKS and OpenID configuration are served per pool on the local port', async () => {
    const jwks = await jwksOf(cloud, pool.poolId);
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys)
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const config = (await (
      await fetch(`${cloud.url}/${pool.poolId}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(config.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`);
    expect(config.jwks_uri).toBe(
      `https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}/.well-known/jwks.json`,
    );
    // The token endpoint a client reads from here is the local one (no hosted UI: no authorization endpoint).
    expect(config.token_endpoint).toBe(`${cloud.url}/_aws/cognito-idp/oauth2/token`);
    expect(config).not.toHaveProperty('authorization_endpoint');
    expect((await fetch(`${cloud.url}/us-east-1_Missing99/.well-known/jwks.json`)).status).toBe(404);
  });

  test('inside a local function, unmodified CognitoJwtVerifier fetches the JWKS from AWS’s URL and gets the local one', async () => {
    // The verifier as users write it, bundled as serverless-esbuild would: no endpoint override, no cached JWKS.
    const bundle = buildSync({
      stdin: {
        contents: `
          const { CognitoJwtVerifier } = require('aws-jwt-verify');
          exports.handler = async (event) => {
            const { token, userPoolId, clientId, tokenUse } = JSON.parse(Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString());
            try {
              const claims = await CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse }).verify(token);
              const discovery = await fetch('https://cognito-idp.us-east-1.amazonaws.com/' + userPoolId + '/.well-known/openid-configuration');
              return { statusCode: 200, body: JSON.stringify({ sub: claims.sub, issuer: (await discovery.json()).issuer }) };
            } catch (error) {
              return { statusCode: 401, body: JSON.stringify({ error: error.name, message: error.message }) };
            }
          };`,
        resolveDir: __dirname,
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
    });
    const { url } = await deployProbeStack(cloud, {
      stackName: 'verifier',
      handlerSource: bundle.outputFiles[0]?.text ?? '',
      timeoutSeconds: 5,
    });
    await createConfirmedUser(cognito, pool.poolId, 'quinn@example.com', PASSWORD);
    const signIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.webClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'quinn@example.com', PASSWORD },
      }),
    );
    const verify = (body: Record<string, unknown>) =>
      fetch(`${url}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await verify({
      token: signIn.AuthenticationResult?.IdToken,
      userPoolId: pool.poolId,
      clientId: pool.webClientId,
      tokenUse: 'id',
    });
    if (ok.status !== 200) throw new Error(lines.filter((line) => line.includes('verifier')).join('\n'));
    expect(await ok.json()).toEqual({
      sub: decodeJwt(signIn.AuthenticationResult?.IdToken as string).sub,
      issuer: `https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`,
    });
    // And it still refuses what it should: the access token where an ID token is expected.
    const wrongUse = await verify({
      token: signIn.AuthenticationResult?.AccessToken,
      userPoolId: pool.poolId,
      clientId: pool.webClientId,
      tokenUse: 'id',
    });
    expect(wrongUse.status).toBe(401);
    await cloud.remove('verifier');
  }, 30_000);

  test('botocore (the AWS CLI’s and boto3’s client) signs up, confirms, signs in and reads the user; the CLI lists pools', async () => {
    const script = [
      'import sys, json, botocore.session',
      'endpoint, pool, client_id, key, secret = sys.argv[1:6]',
      "c = botocore.session.get_session().create_client('cognito-idp', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=key, aws_secret_access_key=secret)",
      "c.sign_up(ClientId=client_id, Username='py@example.com', Password='Correct-Horse-9')",
      "c.admin_confirm_sign_up(UserPoolId=pool, Username='py@example.com')",
      "auth = c.initiate_auth(ClientId=client_id, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'py@example.com', 'PASSWORD': 'Correct-Horse-9'})",
      "user = c.get_user(AccessToken=auth['AuthenticationResult']['AccessToken'])",
      'try:',
      "    c.initiate_auth(ClientId=client_id, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'py@example.com', 'PASSWORD': 'Wrong-Horse-9'})",
      '    refused = None',
      'except c.exceptions.NotAuthorizedException as error:',
      "    refused = error.response['Error']['Message']",
      "print(json.dumps({'attributes': user['UserAttributes'], 'refused': refused}))",
    ].join('\n');
    const python = pythonWithBotocore();
    const { stdout } = await run(
      python,
      [
        '-c',
        script,
        cloud.url,
        pool.poolId,
        pool.webClientId,
        DEVELOPER.accessKeyId,
        DEVELOPER.secretAccessKey,
      ],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(stdout) as {
      attributes: Array<{ Name: string; Value: string }>;
      refused: string;
    };
    expect(result.attributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'py@example.com' }]));
    expect(result.refused).toBe('Incorrect username or password.');
    const cli = await run(
      python,
      [
        '-m',
        'awscli',
        'cognito-idp',
        'list-user-pools',
        '--max-results',
        '10',
        '--endpoint-url',
        cloud.url,
        '--region',
        'us-east-1',
        '--output',
        'json',
      ],
      {
        encoding: 'utf8',
        env: {
          ...withoutProfile(process.env),
          AWS_ACCESS_KEY_ID: DEVELOPER.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DEVELOPER.secretAccessKey,
          AWS_SESSION_TOKEN: '',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    expect(
      (JSON.parse(cli.stdout) as { UserPools: Array<{ Id: string }> }).UserPools.map((entry) => entry.Id),
    ).toContain(pool.poolId);
  }, 60_000);
});

describe('on disk, across a restart', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'cognito-restart-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  test('users, signing keys and issued tokens stay valid; nothing secret is kept in plaintext', async () => {
    const first = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
    let client = cognitoClient(first.url);
    const pool = await deployUserPoolStack(first);
    await createConfirmedUser(client, pool.poolId, 'rita@example.com', PASSWORD);
    const signIn = await client.send(
      new InitiateAuthCommand({
        ClientId: pool.webClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'rita@example.com', PASSWORD },
      }),
    );
    const jwksBefore = await jwksOf(first, pool.poolId);
    client.destroy();
    await first.stop();

    // At rest: no password, no refresh token; files only the owner can read.
    const dir = path.join(stateDir, 'cognito');
    for (const file of readdirSync(dir)) {
      expect(statSync(path.join(dir, file)).mode & 0o077).toBe(0);
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(signIn.AuthenticationResult?.RefreshToken as string);
    }

    const second = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
    client = cognitoClient(second.url);
    try {
      const restored = second.stacks().find((stack) => stack.stackName === 'pool');
      expect(restored?.outputs.find((output) => output.key === 'PoolId')?.value).toBe(pool.poolId);
      expect(await jwksOf(second, pool.poolId)).toEqual(jwksBefore);
      await expect(
        client.send(new GetUserCommand({ AccessToken: signIn.AuthenticationResult?.AccessToken })),
      ).resolves.toMatchObject({
        UserAttributes: expect.arrayContaining([{ Name: 'email', Value: 'rita@example.com' }]),
      });
      const refreshed = await client.send(
        new InitiateAuthCommand({
          ClientId: pool.webClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: signIn.AuthenticationResult?.RefreshToken as string },
        }),
      );
      expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
      await expect(
        client.send(
          new InitiateAuthCommand({
            ClientId: pool.webClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'rita@example.com', PASSWORD },
          }),
        ),
      ).resolves.toHaveProperty('AuthenticationResult');
      // The client secret is the same after the restart (a redeploy or restart never changes a secret).
      const again = await deployUserPoolStack(second);
      expect(again.partnerClientSecret).toBe(pool.partnerClientSecret);
      // A redeploy kept the users too; removing the stack removes the pool, its users and its file.
      await expect(
        client.send(new GetUserCommand({ AccessToken: signIn.AuthenticationResult?.AccessToken })),
      ).resolves.toBeDefined();
      await second.remove('pool');
      expect(
        await refusalOf(client.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))),
      ).toMatchObject({ name: 'ResourceNotFoundException' });
      expect(readdirSync(dir)).not.toContain(`${pool.poolId}.json`);
    } finally {
      client.destroy();
      await second.stop();
    }
  }, 60_000);
});
