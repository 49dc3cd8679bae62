import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { routedPath } from '../src/gateway/request-path';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack } from '../src/testing/probe-stack';
import { assumeRoleCredentials, sendRaw } from '../src/testing/raw-clients';

// One request, one path: the gateway routes, authorizes (method ARN), logs and passes on the same path, so no
// spelling of a path reaches a function past a policy written for its plain form. A security review found
// explicit Denies missed by `/secret/`, `/items/%61dmin`, `/p/%61dmin/users`, and an Allow on
// `GET/p/public/*` handing the function `public/../private/x` through `%2E%2E`.
// Sources: RFC 3986 6.2.2.2 (escaped unreserved characters are the characters) and 5.2.4 (dot segments);
// SigV4 removes dot and empty segments before signing
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
const DEVELOPER = seededUserKeys('developer');
const ACCOUNT = '000000000000';

describe('routedPath', () => {
  it.each([
    ['/secret', '/secret'],
    ['/secret/', '/secret'],
    ['//secret//', '/secret'],
    ['/./secret/.', '/secret'],
    ['/x/../secret', '/secret'],
    ['/%73ecret', '/secret'],
    ['/items/%61dmin', '/items/admin'],
    ['/items/adm%69N', '/items/admiN'],
    ['/p/public/%2E%2E/private/x', '/p/private/x'],
    ['/p/public/%2e%2E/private/x', '/p/private/x'],
    ['/p/public/.%2E/private/x', '/p/private/x'],
    ['/p/%2E/x', '/p/x'],
    ['/%2E%2E/%2E%2E/x', '/x'],
    ['/a%2Fb/c', '/a%2Fb/c'],
    ['/a%20b', '/a%20b'],
    ['/%7Euser', '/~user'],
    ['/%41%5A%61%7A%30%39%2D%5F', '/AZaz09-_'],
    ['/%40%2B%25', '/%40%2B%25'],
    ['/%zz', '/%zz'],
    ['', '/'],
  ])('%s routes as %s', (raw, expected) => {
    expect(routedPath(raw)).toBe(expected);
  });
});

describe('every spelling of a path meets the policy written for it (over real HTTP)', () => {
  let cloud: LocalCloud;
  let base: URL;
  let apiId: string;
  let noAccess: AwsCredentialIdentity;

  /** Signs `rawPath` exactly as written (smithy, as the SDKs sign) and sends it as written. */
  async function send(
    rawPath: string,
    credentials: AwsCredentialIdentity = DEVELOPER,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const signer = new SignatureV4({
      credentials,
      region: 'us-east-1',
      service: 'execute-api',
      sha256: Sha256,
    });
    const path = `${base.pathname}${rawPath}`;
    const signed = await signer.sign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: base.hostname,
        port: Number(base.port),
        path,
        headers: { host: base.host },
      }),
      { signingDate: cloud.clock.now() },
    );
    const answer = await sendRaw(base, { rawPath: path, headers: signed.headers });
    return { status: answer.status, json: answer.json() };
  }

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
    const arn = (route: string) => `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/test/${route}`;
    const { url } = await deployProbeStack(cloud, {
      stackName: 'spelling',
      authorizationType: 'AWS_IAM',
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: [arn('GET/secret'), arn('GET/items/admin'), arn('GET/p/admin/*')],
          },
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/no-access` },
            Action: 'execute-api:Invoke',
            Resource: arn('GET/p/public/*'),
          },
        ],
      },
    });
    base = new URL(url);
    apiId = base.pathname.split('/')[2] as string;
    noAccess = await assumeRoleCredentials(cloud, `arn:aws:iam::${ACCOUNT}:role/no-access`, 'spelling');
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it.each([
    ['/secret', '/secret'],
    ['/secret/', '/secret'],
    ['/secret//', '/secret'],
    ['//secret', '/secret'],
    ['/./secret', '/secret'],
    ['/%73ecret', '/secret'],
    ['/x/%2E%2E/secret', '/secret'],
    ['/items/admin', '/items/admin'],
    ['/items/%61dmin', '/items/admin'],
    ['/items/adm%69n/', '/items/admin'],
    ['/p/admin/users', '/p/admin/users'],
    ['/p/%61dmin/users', '/p/admin/users'],
    ['/p/x/%2e%2e/admin/users', '/p/admin/users'],
  ])('an explicit Deny on the plain path refuses %s', async (spelling, plain) => {
    // Act
    const response = await send(spelling);

    // Assess: refused, and refused for the plain path's method ARN.
    expect(response.status).toBe(403);
    expect(response.json.Message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/developer is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/test/GET${plain} with an explicit deny`,
    );
    expect(cloud.accessLog.at(-1)).toMatchObject({ path: plain, status: 403 });
  });

  it('an Allow on GET/p/public/* does not hand the function another path through %2E%2E', async () => {
    // Act
    const inside = await send('/p/public/report', noAccess);
    const escaped = await send('/p/public/%2E%2E/private/x', noAccess);

    // Assess
    expect(inside.status).toBe(200);
    expect(inside.json).toMatchObject({ path: '/p/public/report' });
    expect(escaped.status).toBe(403);
    expect(String(escaped.json.Message)).toContain(`/test/GET/p/private/x`);
  });

  it('passes the routed path to the function, and other escapes as sent', async () => {
    // Act
    const response = await send('/items/%61b%2Fc%20d');

    // Assess: what was authorized is what the function is told.
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ path: '/items/ab%2Fc%20d' });
    expect(cloud.accessLog.at(-1)).toMatchObject({ path: '/items/ab%2Fc%20d', status: 200 });
  });
});
