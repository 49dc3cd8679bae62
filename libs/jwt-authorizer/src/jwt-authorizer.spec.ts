import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { createLogger } from '@sigv4-auth/lambda-http';
import { createJwtAuthorizer, type TokenAuthorizerHandler } from './jwt-authorizer';
import { policyForGroups } from './group-policy';

// Tokens from a test key pair, the JWKS served over real loopback HTTP, verified by aws-jwt-verify inside the
// handler. Outcomes as API Gateway reads them: a thrown Error('Unauthorized') is its 401; any other error its 500.
const API = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod';
const ISSUER = 'https://idp.example.com/oauth2/default';
const AUDIENCE = 'api://orders';
const PERMISSIONS = {
  support: ['GET /admin/orders', 'GET /admin/orders/*'],
  admin: ['GET /admin/orders', 'GET /admin/orders/*', 'DELETE /admin/orders/*'],
} as const;

let server: Server;
let jwksUri: string;
let signingKey: KeyLike;
let otherKey: KeyLike;
let authorizer: TokenAuthorizerHandler;
const logged: Array<Record<string, unknown>> = [];

/**
 * Generated as PEM, then imported: Node 20 can hang for good when a KeyObject straight from generateKeyPair is exported
 * as a JWK while the garbage collector destroys its generation job (see the local cloud's crypto/rsa-key-pair.ts).
 */
function rsaKeyPair() {
  const pem = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey: createPrivateKey(pem.privateKey), publicKey: createPublicKey(pem.publicKey) };
}

beforeAll(async () => {
  const pair = rsaKeyPair();
  signingKey = pair.privateKey;
  const { publicKey } = pair;
  ({ privateKey: otherKey } = rsaKeyPair());
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  server = createServer((request, response) => {
    response.writeHead(request.url === '/keys' ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  authorizer = createJwtAuthorizer({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri,
    permissions: PERMISSIONS,
    logger: createLogger({ service: 'test', write: (line) => logged.push(JSON.parse(line)) }),
  });
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

function token(
  claims: JWTPayload,
  options: { key?: KeyLike; kid?: string; expiresIn?: string | number } = {},
) {
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'alice',
    email: 'alice@example.com',
    groups: ['support'],
  };
  return new SignJWT({ ...payload, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key', typ: 'at+jwt' })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.key ?? signingKey);
}

const event = (authorizationToken: string, methodArn = `${API}/GET/admin/orders`) => ({
  type: 'TOKEN' as const,
  authorizationToken,
  methodArn,
});

describe('a valid token', () => {
  test('support: Allow its routes, an explicit Deny for the rest; principalId and context from the claims', async () => {
    const result = await authorizer(event(`Bearer ${await token({})}`));
    expect(result).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: [`${API}/GET/admin/orders`, `${API}/GET/admin/orders/*`],
          },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [`${API}/DELETE/admin/orders/*`] },
        ],
      },
      context: { sub: 'alice', email: 'alice@example.com', groups: '["support"]' },
    });
  });

  test('the policy does not depend on the route asked for (safe to cache across routes)', async () => {
    const jwt = await token({ sub: 'bob', groups: ['admin'] });
    const first = await authorizer(event(`Bearer ${jwt}`, `${API}/GET/admin/orders`));
    const second = await authorizer(event(`Bearer ${jwt}`, `${API}/DELETE/admin/orders/42`));
    expect(second.policyDocument).toEqual(first.policyDocument);
    expect(first.policyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Resource: expect.arrayContaining([`${API}/DELETE/admin/orders/*`]),
      }),
    ]);
  });

  test('no group (or a claim that is not a list of names): only the Deny, for every protected route', async () => {
    for (const groups of [[], 'nobody', { admin: true }, [42]]) {
      const result = await authorizer(event(`Bearer ${await token({ sub: 'eve', groups })}`));
      expect(result.policyDocument.Statement).toEqual([
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [`${API}/GET/admin/orders`, `${API}/GET/admin/orders/*`, `${API}/DELETE/admin/orders/*`],
        },
      ]);
    }
  });
});

describe('any bad token: Error("Unauthorized"), the reason logged, never the token', () => {
  test.each([
    ['no Bearer scheme', async () => token({})],
    ['not a JWT', async () => 'Bearer not-a-jwt'],
    ['expired', async () => `Bearer ${await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 10 })}`],
    ['another issuer', async () => `Bearer ${await token({ iss: 'https://evil.example.com' })}`],
    ['another audience', async () => `Bearer ${await token({ aud: 'api://other' })}`],
    ['signed by another key (same kid)', async () => `Bearer ${await token({}, { key: otherKey })}`],
    ['an unknown key id', async () => `Bearer ${await token({}, { kid: 'unknown' })}`],
    [
      'tampered (groups changed after signing)',
      async () => {
        const [header, , signature] = (await token({})).split('.');
        const forged = Buffer.from(
          JSON.stringify({ sub: 'alice', groups: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: 9e9 }),
        ).toString('base64url');
        return `Bearer ${header}.${forged}.${signature}`;
      },
    ],
    [
      'alg none',
      async () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'test-key' })).toString('base64url');
        const body = Buffer.from(
          JSON.stringify({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: 9e9 }),
        ).toString('base64url');
        return `Bearer ${header}.${body}.`;
      },
    ],
    ['no sub', async () => `Bearer ${await token({ sub: undefined })}`],
    [
      'no exp (it would never expire)',
      async () => {
        const jwt = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', groups: ['admin'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .sign(signingKey);
        return `Bearer ${jwt}`;
      },
    ],
  ])('%s', async (_name, make) => {
    const header = await make();
    logged.length = 0;
    await expect(authorizer(event(header))).rejects.toThrow(new Error('Unauthorized'));
    expect(logged).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'token refused', reason: expect.any(String) }),
    ]);
    const jwt = header.replace(/^Bearer /, '');
    if (jwt.length > 20) expect(JSON.stringify(logged)).not.toContain(jwt);
  });
});

test('with `scope`: a token without it is Unauthorized, one with it passes', async () => {
  const scoped = createJwtAuthorizer({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri,
    scope: 'orders.staff',
    permissions: PERMISSIONS,
    logger: createLogger({ service: 'test', write: () => undefined }),
  });
  await expect(scoped(event(`Bearer ${await token({ scope: 'profile' })}`))).rejects.toThrow(
    new Error('Unauthorized'),
  );
  await expect(
    scoped(event(`Bearer ${await token({ scope: 'openid orders.staff' })}`)),
  ).resolves.toMatchObject({
    principalId: 'alice',
  });
});

describe('not the caller’s fault: an ordinary error (API Gateway’s 500, never cached)', () => {
  test('the IdP’s JWKS cannot be fetched', async () => {
    const unreachable = createJwtAuthorizer({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: 'http://127.0.0.1:9/keys',
      permissions: PERMISSIONS,
      logger: createLogger({ service: 'test', write: () => undefined }),
    });
    const failure = unreachable(event(`Bearer ${await token({})}`));
    await expect(failure).rejects.toThrow();
    await expect(failure).rejects.not.toThrow(/^Unauthorized$/);
  });

  test('a JWKS over plain http to another host is refused', async () => {
    const remote = createJwtAuthorizer({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: 'http://idp.example.com/keys',
      permissions: PERMISSIONS,
      logger: createLogger({ service: 'test', write: () => undefined }),
    });
    await expect(remote(event(`Bearer ${await token({})}`))).rejects.toThrow(/must come over https/);
  });

  test('a method ARN that is not one', async () => {
    await expect(authorizer(event(`Bearer ${await token({})}`, 'nonsense'))).rejects.toThrow(
      /not an API Gateway method ARN/,
    );
  });
});

test('policyForGroups refuses a route that is not "<METHOD> /<path>"', () => {
  expect(() => policyForGroups(API, ['admin'], { admin: ['admin/orders' as never] })).toThrow(
    /is not a route/,
  );
});
