import { Clock } from '../clock/clock';
import {
  AuthorizerCache,
  evaluateAuthorizerPolicy,
  parseAuthorizerResult,
  type AuthorizerResult,
} from './lambda-authorizer';
import type { LambdaAuthorizer } from './types';

// The authorizer cache's rules (research notes D4: ../shared/research/api-gateway-authorizers.md) and the checks
// of a Lambda authorizer's answer (D2: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
const result: AuthorizerResult = {
  principalId: 'p',
  policy: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
  },
  context: {},
};

describe('AuthorizerCache', () => {
  const clock = new Clock();
  afterEach(() => clock.reset());
  const key = AuthorizerCache.key('api1', 'prod', 'auth1', 'Bearer token');

  test('an answer lives for its TTL on the cloud clock, then is gone', () => {
    // Frozen: counted to the millisecond, so real time passing between the steps (a loaded CI machine) must not count.
    clock.freeze();
    const cache = new AuthorizerCache(clock);
    cache.set(key, result, 300, 'api1', cache.generation('api1'));
    clock.advance(299_999);
    expect(cache.get(key)).toBe(result);
    clock.advance(1);
    expect(cache.get(key)).toBeUndefined();
  });

  test('a clock moved back before the answer was stored does not stretch its life', () => {
    const cache = new AuthorizerCache(clock);
    cache.set(key, result, 300, 'api1', cache.generation('api1'));
    clock.advance(-1000);
    expect(cache.get(key)).toBeUndefined();
  });

  test('an answer fetched across a redeploy of its API is not kept', () => {
    const cache = new AuthorizerCache(clock);
    const generation = cache.generation('api1');
    cache.dropApi('api1'); // the API was redeployed while the authorizer ran
    cache.set(key, result, 300, 'api1', generation);
    expect(cache.get(key)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('keys differ by API, stage, authorizer and identity, and hold no token text', () => {
    const keys = [
      key,
      AuthorizerCache.key('api2', 'prod', 'auth1', 'Bearer token'),
      AuthorizerCache.key('api1', 'test', 'auth1', 'Bearer token'),
      AuthorizerCache.key('api1', 'prod', 'auth2', 'Bearer token'),
      AuthorizerCache.key('api1', 'prod', 'auth1', 'Bearer token2'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.some((entry) => entry.includes('token'))).toBe(false);
  });

  test('TTL 0 stores nothing; the oldest entry makes room at the limit', () => {
    const cache = new AuthorizerCache(clock, 2);
    cache.set(key, result, 0, 'api1', 0);
    expect(cache.size).toBe(0);
    for (const identity of ['a', 'b', 'c'])
      cache.set(AuthorizerCache.key('api1', 'prod', 'auth1', identity), result, 300, 'api1', 0);
    expect(cache.size).toBe(2);
    expect(cache.get(AuthorizerCache.key('api1', 'prod', 'auth1', 'a'))).toBeUndefined();
  });
});

describe('parseAuthorizerResult', () => {
  const policyDocument = result.policy;

  test('context values become strings; null stays; undefined is dropped; a number principalId is text', () => {
    expect(
      parseAuthorizerResult({
        principalId: 42,
        policyDocument,
        context: { s: 'x', n: 1.5, b: false, z: null, u: undefined },
        usageIdentifierKey: 'key-1',
      }),
    ).toEqual({
      principalId: '42',
      policy: policyDocument,
      context: { s: 'x', n: '1.5', b: 'false', z: null },
      usageIdentifierKey: 'key-1',
    });
  });

  test.each([
    [null, 'no object'],
    [[], 'no object'],
    [{ policyDocument }, 'no principalId'],
    [{ principalId: 'p' }, 'policyDocument is not a valid policy'],
    [
      { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Maybe', Action: '*' }] } },
      'Effect must be Allow or Deny',
    ],
    [{ principalId: 'p', policyDocument, context: 'x' }, 'context is not an object'],
    [{ principalId: 'p', policyDocument, context: { a: [1] } }, 'context.a is an array'],
    [{ principalId: 'p', policyDocument, context: { o: {} } }, 'context.o is an object'],
    [{ principalId: 'p', policyDocument, usageIdentifierKey: 7 }, 'usageIdentifierKey is not a string'],
  ])('%j is malformed (%s): AWS answers 500', (payload, problem) => {
    const parsed = parseAuthorizerResult(payload);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(problem);
  });
});

describe('evaluateAuthorizerPolicy on a cached answer', () => {
  const authorizer: LambdaAuthorizer = {
    type: 'TOKEN',
    id: 'a1',
    name: 'staff',
    functionName: 'staff-authorizer',
    identitySources: [],
    ttlSeconds: 300,
  };
  const arn = (path: string) => `arn:aws:execute-api:us-east-1:000000000000:api1/test/GET${path}`;
  const evaluate = (answer: AuthorizerResult, path: string, sourceIp: string) =>
    evaluateAuthorizerPolicy(
      answer,
      authorizer,
      arn(path),
      '000000000000',
      { 'aws:SourceIp': sourceIp },
      new Date(),
    );

  it('decides each method ARN on its own, also once the decisions are remembered', () => {
    // Prepare
    const answer: AuthorizerResult = {
      principalId: 'p',
      policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn('/orders/*') }],
      },
      context: {},
    };

    // Act
    const decisions = ['/orders/1', '/admin', '/orders/1', '/admin'].map(
      (path) => evaluate(answer, path, '10.0.0.1').allowed,
    );

    // Assess
    expect(decisions).toEqual([true, false, true, false]);
  });

  it('evaluates a policy with conditions again for every request (its keys change between requests)', () => {
    // Prepare: API Gateway evaluates the cached policy against each request; aws:SourceIp differs per caller.
    const answer: AuthorizerResult = {
      principalId: 'p',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: '*',
            Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
          },
        ],
      },
      context: {},
    };

    // Act
    const decisions = ['10.0.0.1', '192.0.2.1', '10.0.0.2'].map(
      (ip) => evaluate(answer, '/orders/1', ip).allowed,
    );

    // Assess
    expect(decisions).toEqual([true, false, true]);
  });
});
