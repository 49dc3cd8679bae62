import { Clock } from '../clock/clock';
import { AuthorizerCache, parseAuthorizerResult, type AuthorizerResult } from './lambda-authorizer';

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
