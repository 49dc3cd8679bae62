import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { createConfirmedUser, cognitoClient, passwordTokens } from '../src/testing/cognito-helpers';
import { deployProbeStack, deployWithSources, probeStackTemplate } from '../src/testing/probe-stack';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// API Gateway's COGNITO_USER_POOLS authorizer on REST APIs, as research notes A (../shared/research/
// api-gateway-authorizers.md) sum up AWS's docs and captures: which token a method takes (A1), the 401 bodies (A2),
// the identity source with or without "Bearer " (A3), the claims the function gets (A4), and the resource policy
// after it (F1).
const PASSWORD = 'Correct-Horse-9';

let cloud: LocalCloud;
let pool: UserPoolStack;
let other: UserPoolStack;
let cognito: CognitoIdentityProviderClient;
/** ID tokens only (no scopes). */
let idRoute: string;
/** Scope orders-api/orders.read (access tokens only). */
let scopedRoute: string;
const lines: string[] = [];

function tokensOf(target: UserPoolStack, username: string) {
  return passwordTokens(cognito, target.webClientId, username, PASSWORD);
}

async function partnerToken(): Promise<string> {
  const answer = await fetch(`${cloud.url}/_aws/cognito-idp/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${pool.partnerClientId}:${pool.partnerClientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

const call = (url: string, authorization?: string) =>
  fetch(`${url}/probe`, { headers: authorization === undefined ? {} : { authorization } });

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  pool = await deployUserPoolStack(cloud);
  other = await deployUserPoolStack(cloud, { stackName: 'other' });
  cognito = cognitoClient(cloud.url);
  await createConfirmedUser(cognito, pool.poolId, 'ada@example.com', PASSWORD, [
    { Name: 'email_verified', Value: 'true' },
  ]);
  await createConfirmedUser(cognito, other.poolId, 'eve@example.com', PASSWORD);
  ({ url: idRoute } = await deployProbeStack(cloud, {
    stackName: 'id-route',
    authorizationType: 'COGNITO_USER_POOLS',
    cognito: { providerArns: [pool.poolArn] },
  }));
  ({ url: scopedRoute } = await deployProbeStack(cloud, {
    stackName: 'scoped-route',
    authorizationType: 'COGNITO_USER_POOLS',
    cognito: { providerArns: [pool.poolArn], scopes: ['orders-api/orders.read'] },
  }));
}, 60_000);

afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

describe('which token a method takes (A1)', () => {
  test('no scopes: an ID token passes, raw or after "Bearer "; the function gets its claims as strings (A3, A4)', async () => {
    const { id } = await tokensOf(pool, 'ada@example.com');
    for (const header of [id, `Bearer ${id}`, `bearer ${id}`]) {
      const answer = await call(idRoute, header);
      expect(answer.status).toBe(200);
    }
    const body = (await (await call(idRoute, id)).json()) as {
      authorizer: { claims: Record<string, string> };
    };
    const payload = decodeJwt(id);
    expect(body.authorizer.claims).toMatchObject({
      sub: payload.sub,
      aud: pool.webClientId,
      token_use: 'id',
      email: 'ada@example.com',
      email_verified: 'true',
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`,
      auth_time: String(payload.auth_time),
    });
    for (const value of Object.values(body.authorizer.claims)) expect(typeof value).toBe('string');
    // exp and iat as API Gateway renders them: "Tue Jun 18 15:00:04 UTC 2024".
    expect(body.authorizer.claims.exp).toMatch(
      /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/,
    );
    expect(new Date(body.authorizer.claims.exp as string).getTime() / 1000).toBe(payload.exp);
  });

  test('no scopes: an access token is refused with 401 Unauthorized', async () => {
    const { access } = await tokensOf(pool, 'ada@example.com');
    const answer = await call(idRoute, access);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    expect(answer.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  test('scopes: an access token with one of them passes; an ID token, or a sign-in access token without it, is 401', async () => {
    const partner = await partnerToken();
    const passed = await call(scopedRoute, partner);
    expect(passed.status).toBe(200);
    expect(
      ((await passed.json()) as { authorizer: { claims: Record<string, string> } }).authorizer.claims,
    ).toMatchObject({
      client_id: pool.partnerClientId,
      scope: 'orders-api/orders.read',
      token_use: 'access',
    });
    const { id, access } = await tokensOf(pool, 'ada@example.com');
    // InitiateAuth's access tokens carry aws.cognito.signin.user.admin only, never a custom scope (A1).
    for (const token of [id, access]) expect((await call(scopedRoute, token)).status).toBe(401);
  });
});

describe('refusals (A2)', () => {
  test.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['"Bearer" alone', 'Bearer '],
    ['not a JWT', 'abc.def'],
    ['garbage in three parts', 'a.b.c'],
  ])('%s: 401 Unauthorized, the function not called', async (_label, header) => {
    const answer = await call(idRoute, header);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
  });

  test('a pool id under another account or region in ProviderARNs is not that pool: 401', async () => {
    const { url } = await deployProbeStack(cloud, {
      stackName: 'arn-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: {
        providerArns: [pool.poolArn.replace(':us-east-1:000000000000:', ':eu-west-1:999999999999:')],
      },
    });
    const { id } = await tokensOf(pool, 'ada@example.com');
    expect((await call(url, id)).status).toBe(401);
    await cloud.remove('arn-route');
  });

  test('stray characters after a valid token (or a second, empty Authorization joined to it): 401', async () => {
    const { id } = await tokensOf(pool, 'ada@example.com');
    for (const header of [`${id},`, `${id}!!`, `${id}=`])
      expect((await call(idRoute, header)).status).toBe(401);
    const doubled = await fetch(`${idRoute}/probe`, {
      headers: [
        ['authorization', id],
        ['authorization', ''],
      ],
    });
    expect(doubled.status).toBe(401);
  });

  test('a token of a pool the authorizer does not list: 401', async () => {
    const { id } = await tokensOf(other, 'eve@example.com');
    expect((await call(idRoute, id)).status).toBe(401);
  });

  test('a flipped signature byte or an edited claim: 401', async () => {
    const { id } = await tokensOf(pool, 'ada@example.com');
    const [header, payload, signature] = id.split('.') as [string, string, string];
    // One bit of a signature byte flipped (not the last base64url characters: their low bits can be padding, and
    // a changed padding bit leaves the signature's bytes, and so its validity, as they were).
    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = (bytes[10] as number) ^ 0x01;
    const flipped = `${header}.${payload}.${bytes.toString('base64url')}`;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const edited = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: decodeJwt(id).kid })).toString('base64url')}.${payload}.`;
    for (const token of [flipped, edited, none]) expect((await call(idRoute, token)).status).toBe(401);
  });

  test('an expired token: 401 "The incoming token has expired" (the cloud clock)', async () => {
    const { id } = await tokensOf(pool, 'ada@example.com');
    cloud.clock.advance(3601 * 1000);
    try {
      const answer = await call(idRoute, id);
      expect(answer.status).toBe(401);
      expect(await answer.json()).toEqual({ message: 'The incoming token has expired' });
    } finally {
      cloud.clock.advance(-3601 * 1000);
    }
  });

  test('IdentityValidationExpression is matched against aud', async () => {
    const { url } = await deployProbeStack(cloud, {
      stackName: 'aud-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn], identityValidationExpression: `^${pool.secretClientId}$` },
    });
    const { id } = await tokensOf(pool, 'ada@example.com'); // aud = the web client
    expect((await call(url, id)).status).toBe(401);
    await cloud.remove('aud-route');
    // The whole aud must match: an unanchored expression naming part of the client id is not enough.
    const { url: partial } = await deployProbeStack(cloud, {
      stackName: 'aud-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn], identityValidationExpression: pool.webClientId.slice(0, 10) },
    });
    expect((await call(partial, id)).status).toBe(401);
    await cloud.remove('aud-route');
    const { url: whole } = await deployProbeStack(cloud, {
      stackName: 'aud-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn], identityValidationExpression: `${pool.webClientId}|other` },
    });
    expect((await call(whole, id)).status).toBe(200);
    await cloud.remove('aud-route');
  });
});

describe('revocation (A2: AWS documents no revocation check by REST authorizers)', () => {
  test('an ID token still passes after GlobalSignOut, until it expires; Cognito itself refuses the access token', async () => {
    const { GlobalSignOutCommand, GetUserCommand } =
      await import('@aws-sdk/client-cognito-identity-provider');
    const { id, access } = await tokensOf(pool, 'ada@example.com');
    await cognito.send(new GlobalSignOutCommand({ AccessToken: access }));
    expect((await call(idRoute, id)).status).toBe(200);
    await expect(cognito.send(new GetUserCommand({ AccessToken: access }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});

describe('verified tokens are remembered, never past their pool’s keys', () => {
  test('a token that passed is refused once its pool was removed and made again with new keys', async () => {
    const rotating = await deployUserPoolStack(cloud, { stackName: 'rotating' });
    await createConfirmedUser(cognito, rotating.poolId, 'rae@example.com', PASSWORD);
    const { url } = await deployProbeStack(cloud, {
      stackName: 'rotating-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [rotating.poolArn] },
    });
    const { id } = await tokensOf(rotating, 'rae@example.com');
    expect((await call(url, id)).status).toBe(200);
    expect((await call(url, id)).status).toBe(200); // remembered
    await cloud.remove('rotating-route');
    await cloud.remove('rotating');
    const again = await deployUserPoolStack(cloud, { stackName: 'rotating' });
    expect(again.poolId).toBe(rotating.poolId);
    const { url: sameRoute } = await deployProbeStack(cloud, {
      stackName: 'rotating-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [again.poolArn] },
    });
    expect((await call(sameRoute, id)).status).toBe(401);
    await cloud.remove('rotating-route');
    await cloud.remove('rotating');
  });
});

describe('the resource policy after the token (F1)', () => {
  test('a Deny for everyone still wins over a valid token: 403 naming the anonymous caller', async () => {
    const { url } = await deployProbeStack(cloud, {
      stackName: 'denied-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn] },
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*/*/probe',
          },
        ],
      },
    });
    const { id } = await tokensOf(pool, 'ada@example.com');
    const answer = await call(url, id);
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { Message: string }).Message).toMatch(
      /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:[a-z0-9]+\/test\/GET\/probe with an explicit deny$/,
    );
    // No token is still 401 first: the token is checked before the policy.
    expect((await call(url)).status).toBe(401);
    await cloud.remove('denied-route');
  });

  test('a resource policy with only a Deny for other accounts (the shop’s) refuses Cognito callers: explicit allow required', async () => {
    const { url } = await deployProbeStack(cloud, {
      stackName: 'shop-policy-route',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn] },
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': '000000000000' } },
          },
        ],
      },
    });
    const { id } = await tokensOf(pool, 'ada@example.com');
    expect((await call(url, id)).status).toBe(403);
    await cloud.remove('shop-policy-route');
  });
});

describe('deploys that would serve a route open are refused', () => {
  test('a method naming an authorizer its API lacks: refused before anything is applied (no role, no function)', async () => {
    const template = probeStackTemplate({
      stackName: 'dangling',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn] },
    }) as unknown as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    (template.Resources.ProxyMethod as { Properties: Record<string, unknown> }).Properties.AuthorizerId =
      'nope12';
    const rolesBefore = cloud.identities.listRoles().length;
    await expect(
      deployWithSources(cloud, 'dangling', template as never, {
        'probe.zip': 'exports.handler = async () => ({ statusCode: 200 });',
      }),
    ).rejects.toThrow('names authorizer nope12, which is not an authorizer of this API');
    expect(cloud.identities.listRoles().length).toBe(rolesBefore);
    expect(cloud.stacks().some((stack) => stack.stackName === 'dangling')).toBe(false);
  });

  test.each([
    [
      'a Cognito method whose authorizer turned into a TOKEN one (ProviderARNs left over)',
      { Type: 'TOKEN' },
      'ProviderARNs apply to COGNITO_USER_POOLS authorizers only',
    ],
    ['an authorizer type API Gateway does not have', { Type: 'JWT' }, 'authorizer Type JWT is not one of'],
    [
      'an identity source that is not a header',
      { IdentitySource: 'method.request.querystring.token' },
      'reads one header',
    ],
    [
      'a ProviderARN that is not a pool',
      { ProviderARNs: ['arn:aws:iam::000000000000:role/x'] },
      'is not a user pool ARN',
    ],
  ])('%s', async (_label, override, message) => {
    const template = probeStackTemplate({
      stackName: 'refused',
      authorizationType: 'COGNITO_USER_POOLS',
      cognito: { providerArns: [pool.poolArn] },
    }) as unknown as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    Object.assign(
      (template.Resources.ProbeApiGatewayAuthorizer as { Properties: Record<string, unknown> }).Properties,
      override,
    );
    await expect(
      deployWithSources(cloud, 'refused', template as never, {
        'probe.zip': 'exports.handler = async () => ({ statusCode: 200 });',
      }),
    ).rejects.toThrow(message);
    expect(cloud.stacks().some((stack) => stack.stackName === 'refused')).toBe(false);
  });
});
