import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack, deployWithSources, probeStackTemplate } from '../src/testing/probe-stack';

// API Gateway's Lambda (TOKEN and REQUEST) authorizers on REST APIs, as research notes D and F
// (../shared/research/api-gateway-authorizers.md) sum up AWS's docs and captures:
// D1 event shapes   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// D2 the answer     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// D3 outcomes       https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer,
//                   https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer, loige.co captures
// D4 caching        https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html,
//                   https://aws.amazon.com/premiumsupport/knowledge-center/api-gateway-lambda-authorization-errors/
// F  order          https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html

/**
 * A fixture authorizer that answers by the token's first word. Each answer carries how many times this
 * environment ran (`calls`), so a test sees from the backend's side whether an answer was cached or fresh.
 */
const AUTHORIZER = `
let calls = 0;
const policy = (effect, resource) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });
exports.handler = async (event) => {
  calls += 1;
  const token = event.type === 'TOKEN' ? event.authorizationToken : (event.headers['x-tenant'] + ' ' + event.queryStringParameters.user);
  console.log('AUTHORIZER-CALLED ' + token);
  const apiWide = event.methodArn.split('/').slice(0, 2).join('/') + '/*';
  const [mode, who] = token.replace(/^Bearer /, '').split(' ');
  const principalId = who || 'someone';
  switch (mode) {
    case 'allow': return { principalId, policyDocument: policy('Allow', apiWide), context: { calls, str: 'hello', num: 1, bool: true, nil: null, gone: undefined } };
    case 'method-only': return { principalId, policyDocument: policy('Allow', event.methodArn), context: { calls } };
    case 'deny': return { principalId, policyDocument: policy('Deny', apiWide), context: { calls } };
    case 'elsewhere': return { principalId, policyDocument: policy('Allow', apiWide.slice(0, -1) + 'GET/nowhere'), context: { calls } };
    case 'unauthorized': throw new Error('Unauthorized');
    case 'unauthorized-string': throw 'Unauthorized';
    case 'throws': throw new Error('boom');
    case 'slow': await new Promise((resolve) => setTimeout(resolve, 3000)); return { principalId, policyDocument: policy('Allow', apiWide) };
    case 'malformed': return { principalId };
    case 'object-context': return { principalId, policyDocument: policy('Allow', apiWide), context: { nested: { a: 1 } } };
    case 'event': return { principalId, policyDocument: policy('Allow', apiWide), context: { event: JSON.stringify(event) } };
    default: return { principalId, policyDocument: policy('Allow', apiWide), context: { calls, tenant: event.headers ? event.headers['x-tenant'] : '' } };
  }
};
`;

let cloud: LocalCloud;
const lines: string[] = [];
let token: string;
let request: string;
let uncached: string;
let strict: string;
let noPermission: string;

const call = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(url, { method, headers });
const authorizerCalls = (marker: string) =>
  lines.filter((line) => line.includes(`AUTHORIZER-CALLED ${marker}`)).length;
/** Function output reaches the log asynchronously: wait for it before counting. */
async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 150));
}
/** The access log's entries since `from`: the gateway writes each before it answers. */
const entriesSince = (from: number) => cloud.accessLog.slice(from);
/** Whether no entry since `from` ran the authorizer's function (authorizerLatencyMs is set by every invocation). */
const noInvocationSince = (from: number) =>
  entriesSince(from).every((entry) => entry.authorizerLatencyMs === null);

async function echoed(answer: Response): Promise<Record<string, unknown>> {
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { authorizer: Record<string, unknown> }).authorizer;
}

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  const custom = { authorizationType: 'CUSTOM' as const };
  ({ url: token } = await deployProbeStack(
    cloud,
    { ...custom, stackName: 'token', lambdaAuthorizer: { timeoutSeconds: 1 } },
    AUTHORIZER,
  ));
  ({ url: request } = await deployProbeStack(
    cloud,
    {
      ...custom,
      stackName: 'request',
      lambdaAuthorizer: {
        type: 'REQUEST',
        identitySource: 'method.request.header.X-Tenant, method.request.querystring.user',
      },
    },
    AUTHORIZER,
  ));
  ({ url: uncached } = await deployProbeStack(
    cloud,
    { ...custom, stackName: 'uncached', lambdaAuthorizer: { ttlSeconds: 0 } },
    AUTHORIZER,
  ));
  ({ url: strict } = await deployProbeStack(
    cloud,
    {
      ...custom,
      stackName: 'strict',
      lambdaAuthorizer: { identityValidationExpression: 'Bearer [a-z-]+ [a-z]+' },
    },
    AUTHORIZER,
  ));
  ({ url: noPermission } = await deployProbeStack(
    cloud,
    { ...custom, stackName: 'no-permission', lambdaAuthorizer: { permission: false } },
    AUTHORIZER,
  ));
}, 90_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('identity sources are checked before the function runs (D3, API_Authorizer.html)', () => {
  test('no Authorization header, or an empty one: 401 Unauthorized, the function not called', async () => {
    const before = lines.filter((line) => line.includes('AUTHORIZER-CALLED')).length;
    const from = cloud.accessLog.length;
    for (const headers of [{}, { authorization: '' }] as Array<Record<string, string>>) {
      const answer = await call(`${token}/probe`, headers);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
      expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    }
    expect(noInvocationSince(from)).toBe(true);
    await settled();
    expect(lines.filter((line) => line.includes('AUTHORIZER-CALLED')).length).toBe(before);
  });

  test('a token that does not match IdentityValidationExpression: 401, the function not called', async () => {
    const answer = await call(`${strict}/probe`, { authorization: 'Bearer allow Mallory!' });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    expect((await call(`${strict}/probe`, { authorization: 'Bearer allow strictuser' })).status).toBe(200);
    await settled();
    expect(authorizerCalls('Bearer allow Mallory!')).toBe(0);
    expect(authorizerCalls('Bearer allow strictuser')).toBe(1);
  });

  test('REQUEST: either source missing or empty -> 401 without a call', async () => {
    const from = cloud.accessLog.length;
    for (const [headers, query] of [
      [{}, '?user=ada'],
      [{ 'x-tenant': 't1' }, ''],
      [{ 'x-tenant': 't1' }, '?user='],
    ] as const) {
      const answer = await call(`${request}/probe${query}`, headers);
      expect(answer.status).toBe(401);
    }
    expect(entriesSince(from)).toHaveLength(3);
    expect(noInvocationSince(from)).toBe(true);
    await settled();
    expect(
      lines.filter((line) => line.includes('AUTHORIZER-CALLED')).some((line) => / ada$|t1 /.test(line)),
    ).toBe(false);
  });
});

describe('the event and what reaches the backend (D1, D2, D5)', () => {
  test('TOKEN event: type, the whole header value as authorizationToken, the method ARN of the actual path', async () => {
    const authorizer = await echoed(await call(`${token}/probe/orders/42?x=1`, { authorization: 'event' }));
    const event = JSON.parse(authorizer.event as string);
    const apiId = /restapis\/([^/]+)\//.exec(token)?.[1];
    expect(event).toEqual({
      type: 'TOKEN',
      authorizationToken: 'event',
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/test/GET/probe/orders/42`,
    });
  });

  test('REQUEST event: the request (headers, query, path parameters, requestContext) and the method ARN', async () => {
    const answer = await call(`${request}/probe/x?user=ada`, { 'x-tenant': 'event' });
    const event = JSON.parse((await echoed(answer)).event as string);
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: expect.stringMatching(/:[a-z0-9]+\/test\/GET\/probe\/x$/),
      resource: '/{proxy+}',
      path: '/probe/x',
      httpMethod: 'GET',
      headers: expect.objectContaining({ 'x-tenant': 'event' }),
      queryStringParameters: { user: 'ada' },
      multiValueQueryStringParameters: { user: ['ada'] },
      pathParameters: { proxy: 'probe/x' },
      stageVariables: {},
      requestContext: expect.objectContaining({
        stage: 'test',
        httpMethod: 'GET',
        resourcePath: '/{proxy+}',
      }),
    });
    expect(event.requestContext.authorizer).toBeUndefined();
  });

  test('principalId, context stringified (null kept, undefined dropped) and integrationLatency reach the function', async () => {
    const authorizer = await echoed(await call(`${token}/probe`, { authorization: 'allow ctx' }));
    expect(authorizer).toEqual({
      principalId: 'ctx',
      integrationLatency: expect.any(Number),
      calls: expect.stringMatching(/^\d+$/),
      str: 'hello',
      num: '1',
      bool: 'true',
      nil: null,
    });
    // A cached answer: the same context, integrationLatency 0 (DefinitelyTyped #69823 capture).
    const again = await echoed(await call(`${token}/probe`, { authorization: 'allow ctx' }));
    expect(again).toEqual({ ...authorizer, integrationLatency: 0 });
  });
});

describe('outcomes (D3)', () => {
  test('"Unauthorized" thrown (an Error or the string): 401, and not cached', async () => {
    for (const mode of ['unauthorized', 'unauthorized-string']) {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const answer = await call(`${token}/probe`, { authorization: mode });
        expect(answer.status).toBe(401);
        expect(await answer.json()).toEqual({ message: 'Unauthorized' });
      }
    }
    await settled();
    const called = (mode: string) =>
      lines.filter((line) => line.endsWith(`AUTHORIZER-CALLED ${mode}`)).length;
    expect(called('unauthorized')).toBe(2);
    expect(called('unauthorized-string')).toBe(2);
  });

  test("an explicit Deny: 403 with AWS's explicit-deny body; the Deny is cached like any answer", async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await call(`${token}/probe`, { authorization: 'deny d1' });
      expect(answer.status).toBe(403);
      expect(answer.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect(await answer.json()).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
    }
    await settled();
    expect(authorizerCalls('deny d1')).toBe(1);
  });

  test('a policy that does not allow this method ARN: 403 "User is not authorized to access this resource"', async () => {
    const answer = await call(`${token}/probe`, { authorization: 'elsewhere e1' });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({ Message: 'User is not authorized to access this resource' });
  });

  test.each([
    ['throws', 'the function failed: Error: boom'],
    ['slow', 'the function timed out'],
    ['malformed', 'malformed answer: the policyDocument is not a valid policy'],
    ['object-context', 'malformed answer: context.nested is an object'],
  ])(
    '%s: 500 {"message":null} AuthorizerConfigurationException, not cached',
    async (mode, logged) => {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const answer = await call(`${token}/probe`, { authorization: `${mode} m` });
        expect(answer.status).toBe(500);
        expect(answer.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
        expect(await answer.text()).toBe('{"message":null}');
      }
      await settled();
      expect(authorizerCalls(`${mode} m`)).toBe(2);
      expect(lines.some((line) => line.includes(logged))).toBe(true);
    },
    15_000,
  );

  test('without the AWS::Lambda::Permission for apigateway.amazonaws.com: 500, the function not called', async () => {
    const from = cloud.accessLog.length;
    const answer = await call(`${noPermission}/probe`, { authorization: 'allow nobody' });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ message: null });
    expect(entriesSince(from)).toEqual([expect.objectContaining({ status: 500, authorizerLatencyMs: null })]);
    await settled();
    expect(authorizerCalls('allow nobody')).toBe(0);
    expect(lines.some((line) => line.includes('Invalid permissions on Lambda function'))).toBe(true);
  });
});

describe('caching (D4)', () => {
  test('the same token twice: one call; the access log says cached', async () => {
    const first = await echoed(await call(`${token}/probe`, { authorization: 'allow twice' }));
    const second = await echoed(await call(`${token}/probe`, { authorization: 'allow twice' }));
    expect(second.calls).toBe(first.calls);
    await settled();
    expect(authorizerCalls('allow twice')).toBe(1);
    const entries = cloud.accessLog.filter((entry) => entry.principal === 'twice');
    expect(entries.map((entry) => entry.decision?.cached)).toEqual([false, true]);
    expect(entries[1]?.authorizerLatencyMs).toBe(0);
  });

  test('past the TTL (300 s by default) on the cloud clock: called again', async () => {
    const first = await echoed(await call(`${token}/probe`, { authorization: 'allow ttl' }));
    cloud.clock.advance(299_000);
    try {
      expect((await echoed(await call(`${token}/probe`, { authorization: 'allow ttl' }))).calls).toBe(
        first.calls,
      );
      cloud.clock.advance(2_000);
      const third = await echoed(await call(`${token}/probe`, { authorization: 'allow ttl' }));
      expect(Number(third.calls)).toBeGreaterThan(Number(first.calls));
    } finally {
      cloud.clock.advance(-301_000);
    }
    await settled();
    expect(authorizerCalls('allow ttl')).toBe(2);
  });

  test("AWS's pitfall: a policy for event.methodArn only, cached, denies the next route within the TTL", async () => {
    // "Any additional API requests made to a different path within the cache's TTL period fail" (KC-CACHE).
    const authorization = 'method-only pitfall';
    expect((await call(`${token}/probe/first`, { authorization })).status).toBe(200);
    const second = await call(`${token}/probe/second`, { authorization });
    expect(second.status).toBe(403);
    expect(await second.json()).toEqual({ Message: 'User is not authorized to access this resource' });
    expect((await call(`${token}/probe/first`, { authorization })).status).toBe(200);
    await settled();
    expect(authorizerCalls(authorization)).toBe(1);
    expect(
      lines.some((line) => line.includes('(cached) principalId pitfall') && line.includes('/probe/second')),
    ).toBe(true);
  });

  test('one token, two APIs (or authorizers): each caches its own answer', async () => {
    const authorization = 'Bearer allow shared';
    const first = await echoed(await call(`${token}/probe`, { authorization }));
    const other = await echoed(await call(`${strict}/probe`, { authorization }));
    expect(await echoed(await call(`${token}/probe`, { authorization }))).toEqual({
      ...first,
      integrationLatency: 0,
    });
    expect(await echoed(await call(`${strict}/probe`, { authorization }))).toEqual({
      ...other,
      integrationLatency: 0,
    });
    await settled();
    expect(authorizerCalls(authorization)).toBe(2);
  });

  test('TTL 0: every request calls the authorizer', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect((await call(`${uncached}/probe`, { authorization: 'allow nocache' })).status).toBe(200);
    await settled();
    expect(authorizerCalls('allow nocache')).toBe(3);
  });

  test('REQUEST: the cache key is every identity source; changing one calls again', async () => {
    const a = await echoed(await call(`${request}/probe?user=ada`, { 'x-tenant': 'tenant-1' }));
    const b = await echoed(await call(`${request}/probe?user=ada`, { 'x-tenant': 'tenant-1' }));
    const c = await echoed(await call(`${request}/probe?user=bob`, { 'x-tenant': 'tenant-1' }));
    const d = await echoed(await call(`${request}/probe?user=ada`, { 'x-tenant': 'tenant-2' }));
    expect(b.calls).toBe(a.calls);
    expect(new Set([a.calls, c.calls, d.calls]).size).toBe(3);
    expect(d.tenant).toBe('tenant-2');
  });

  test('a redeploy of the API forgets its cached answers', async () => {
    const before = cloud.accessLog.length;
    await call(`${token}/probe`, { authorization: 'allow redeploy' });
    await call(`${token}/probe`, { authorization: 'allow redeploy' });
    await deployProbeStack(
      cloud,
      { authorizationType: 'CUSTOM', stackName: 'token', lambdaAuthorizer: { timeoutSeconds: 1 } },
      AUTHORIZER,
    );
    await call(`${token}/probe`, { authorization: 'allow redeploy' });
    const cachedFlags = cloud.accessLog.slice(before).map((entry) => entry.decision?.cached);
    expect(cachedFlags).toEqual([false, true, false]);
  }, 30_000);
});

describe('with a resource policy (F1.2, Table A)', () => {
  const denyPath = (apiPath: string) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*/*/probe/open',
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: `execute-api:/*/*/${apiPath}`,
      },
    ],
  });
  let guarded: string;

  beforeAll(async () => {
    ({ url: guarded } = await deployProbeStack(
      cloud,
      {
        authorizationType: 'CUSTOM',
        stackName: 'guarded',
        lambdaAuthorizer: {},
        resourcePolicy: denyPath('probe/blocked'),
      },
      AUTHORIZER,
    ));
  }, 30_000);

  test("the resource policy's explicit Deny refuses first: 403 naming anonymous, the function not called", async () => {
    const from = cloud.accessLog.length;
    const answer = await call(`${guarded}/probe/blocked`, { authorization: 'allow blocked' });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { Message: string }).Message).toMatch(
      /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:.*\/test\/GET\/probe\/blocked with an explicit deny$/,
    );
    expect(entriesSince(from)).toEqual([
      expect.objectContaining({
        authorizerLatencyMs: null,
        decision: expect.objectContaining({ check: 'resource-policy' }),
      }),
    ]);
    await settled();
    expect(authorizerCalls('allow blocked')).toBe(0);
  });

  test('authorizer Allow, resource policy neither: allowed; authorizer neither, resource policy Allow: allowed', async () => {
    expect((await call(`${guarded}/probe/other`, { authorization: 'allow table-a' })).status).toBe(200);
    expect((await call(`${guarded}/probe/open`, { authorization: 'elsewhere table-a' })).status).toBe(200);
    expect((await call(`${guarded}/probe/other`, { authorization: 'elsewhere table-a' })).status).toBe(403);
  });

  test('authorizer Deny, resource policy Allow: the Deny wins', async () => {
    const answer = await call(`${guarded}/probe/open`, { authorization: 'deny table-a' });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
  });
});

describe('what the deploy refuses (fail closed)', () => {
  const refused = (lambdaAuthorizer: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const template = probeStackTemplate({
      authorizationType: 'CUSTOM',
      stackName: 'bad',
      lambdaAuthorizer: {},
    });
    const resources = template.Resources as Record<string, { Properties: Record<string, unknown> }>;
    Object.assign(resources.ProbeLambdaAuthorizer?.Properties ?? {}, lambdaAuthorizer);
    Object.assign(resources, extra);
    return deployWithSources(cloud, 'bad', template, {
      'probe.zip': AUTHORIZER,
      'authorizer.zip': AUTHORIZER,
    });
  };

  test.each([
    [
      { AuthorizerCredentials: 'arn:aws:iam::000000000000:role/invoker' },
      /AuthorizerCredentials .* is not emulated/,
    ],
    [{ AuthorizerResultTtlInSeconds: 3601 }, /from 0 to 3600/],
    [{ Type: 'REQUEST', IdentitySource: undefined }, /needs an IdentitySource/],
    [{ Type: 'REQUEST', IdentitySource: 'stageVariables.key' }, /stageVariables.key is not emulated/],
    [{ IdentitySource: 'method.request.querystring.token' }, /a TOKEN authorizer reads one header/],
    [{ IdentityValidationExpression: '(' }, /not a regular expression/],
    [{ AuthorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/nowhere' }, /not a Lambda proxy integration/],
  ])('%j is refused', async (properties, message) => {
    await expect(refused(properties)).rejects.toThrow(message);
  });

  test('a CUSTOM method whose authorizer is a Cognito one is refused', async () => {
    await expect(
      refused({
        Type: 'COGNITO_USER_POOLS',
        AuthorizerUri: undefined,
        ProviderARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abcdefghi'],
      }),
    ).rejects.toThrow(/is CUSTOM but its authorizer probe-authorizer is COGNITO_USER_POOLS/);
  });
});
