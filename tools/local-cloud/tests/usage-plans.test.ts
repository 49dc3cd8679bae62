import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  APIGatewayClient,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployProbeStack, deployWithSources, probeStackTemplate } from '../src/testing/probe-stack';

// API keys and usage plans as API Gateway enforces them, research notes C3, E, F1.6
// (../shared/research/api-gateway-authorizers.md):
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html (token bucket)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html (HEADER, AUTHORIZER)
// https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html (Limit, Offset, Period)

const ref = (name: string) => ({ Ref: name });
const key = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApiGateway::ApiKey',
  Properties: properties,
});
const planKey = (plan: string, apiKey: string) => ({
  Type: 'AWS::ApiGateway::UsagePlanKey',
  Properties: { KeyId: ref(apiKey), KeyType: 'API_KEY', UsagePlanId: ref(plan) },
});
const plan = (properties: Record<string, unknown>, stage = 'test') => ({
  Type: 'AWS::ApiGateway::UsagePlan',
  DependsOn: ['Deployment'],
  Properties: { ApiStages: [{ ApiId: ref('Api'), Stage: stage }], ...properties },
});

/** Keys and plans for the metered probe (names as Serverless would give them, values generated). */
const METERED = {
  BurstKey: key({ Name: 'burst' }),
  ConcurrentKey: key({ Name: 'concurrent' }),
  QuotaKey: key({ Name: 'quota' }),
  DisabledKey: key({ Name: 'disabled', Enabled: false }),
  OtherStageKey: key({ Name: 'other-stage' }),
  LooseKey: key({ Name: 'loose' }),
  FixedKey: key({ Name: 'fixed', Value: 'FixedLocalKey0123456789' }),
  BurstPlan: plan({ UsagePlanName: 'burst', Throttle: { BurstLimit: 5, RateLimit: 1 } }),
  QuotaPlan: plan({ UsagePlanName: 'quota', Quota: { Limit: 3, Offset: 1, Period: 'DAY' } }),
  MethodPlan: {
    ...plan({}),
    Properties: {
      UsagePlanName: 'per-method',
      ApiStages: [
        { ApiId: ref('Api'), Stage: 'test', Throttle: { '/{proxy+}/ANY': { BurstLimit: 1, RateLimit: 0 } } },
      ],
      Throttle: { BurstLimit: 100, RateLimit: 100 },
    },
  },
  OtherStagePlan: plan({ UsagePlanName: 'other-stage' }, 'other'),
  BurstPlanKey: planKey('BurstPlan', 'BurstKey'),
  ConcurrentPlanKey: planKey('BurstPlan', 'ConcurrentKey'),
  DisabledPlanKey: planKey('BurstPlan', 'DisabledKey'),
  QuotaPlanKey: planKey('QuotaPlan', 'QuotaKey'),
  FixedPlanKey: planKey('MethodPlan', 'FixedKey'),
  OtherStagePlanKey: planKey('OtherStagePlan', 'OtherStageKey'),
};

/** Allows the whole API; `usageIdentifierKey` is the token's second word (for ApiKeySourceType AUTHORIZER). */
const KEYED_AUTHORIZER = `
exports.handler = async (event) => ({
  principalId: 'partner',
  policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }] },
  usageIdentifierKey: event.authorizationToken.split(' ')[1],
});
`;

let cloud: LocalCloud;
let metered: string;
let client: APIGatewayClient;
const lines: string[] = [];
const values: Record<string, string> = {};
const ids: Record<string, string> = {};

const call = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(url, { method, headers });
async function statuses(url: string, apiKey: string, count: number, method = 'GET'): Promise<number[]> {
  const answers = [];
  for (let index = 0; index < count; index += 1)
    answers.push((await call(url, { 'x-api-key': apiKey }, method)).status);
  return answers;
}
const passed = (list: number[]) => list.filter((status) => status === 200).length;

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  ({ url: metered } = await deployProbeStack(cloud, {
    stackName: 'metered',
    apiKeyRequired: true,
    extraResources: METERED,
  }));
  client = new APIGatewayClient({
    endpoint: cloud.url,
    region: 'us-east-1',
    credentials: seededUserKeys('developer'),
  });
  const { items } = await client.send(new GetApiKeysCommand({ includeValues: true }));
  for (const item of items ?? []) {
    values[item.name as string] = item.value as string;
    ids[item.name as string] = item.id as string;
  }
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

describe('which keys pass (403 Forbidden otherwise, the function not called)', () => {
  test.each([
    ['no x-api-key header', undefined],
    ['a key that does not exist', 'NoSuchKeyValue0123456789'],
    ['a disabled key', 'disabled'],
    ['a key whose plan is for another stage', 'other-stage'],
    ['a key in no usage plan', 'loose'],
  ])('%s', async (_label, name) => {
    const header: Record<string, string> = name === undefined ? {} : { 'x-api-key': values[name] ?? name };
    const from = cloud.accessLog.length;
    const answer = await call(`${metered}/probe`, header);
    expect(answer.status).toBe(403);
    expect(answer.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    expect(await answer.json()).toEqual({ message: 'Forbidden' });
    expect(cloud.accessLog.slice(from)).toEqual([
      expect.objectContaining({ status: 403, integrationLatencyMs: null }),
    ]);
  });

  test('a key of the plan: 200, and the function sees identity.apiKey and apiKeyId', async () => {
    const answer = await call(`${metered}/probe`, { 'X-API-Key': values.fixed as string });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ apiKey: values.fixed, apiKeyId: ids.fixed });
    expect(cloud.accessLog.at(-1)?.apiKeyId).toBe(ids.fixed);
  });

  test('generated key values: 40 letters and digits, distinct, and never in the template', () => {
    const generated = ['burst', 'concurrent', 'quota', 'disabled', 'other-stage', 'loose'].map(
      (name) => values[name],
    );
    for (const value of generated) expect(value).toMatch(/^[0-9a-f]{40}$/);
    expect(new Set(generated).size).toBe(generated.length);
    expect(JSON.stringify(METERED)).not.toContain(values.burst);
  });
});

describe('throttling: a token bucket of BurstLimit tokens, RateLimit per second (429 Too Many Requests)', () => {
  // The cloud clock stands still in these tests, so the counts are exact: only advance() refills.
  beforeEach(() => cloud.clock.freeze());
  afterEach(() => cloud.clock.reset());

  test('burst, then the steady rate, on the cloud clock: B + R*t requests pass', async () => {
    const burst = await statuses(`${metered}/probe`, values.burst as string, 8);
    expect(burst).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = await call(`${metered}/probe`, { 'x-api-key': values.burst as string });
    expect(refused.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await refused.json()).toEqual({ message: 'Too Many Requests' });
    cloud.clock.advance(2_000);
    expect(passed(await statuses(`${metered}/probe`, values.burst as string, 6))).toBe(2);
    // Refills add up exactly: 0.6 s + 0.3 s + 0.1 s at 1/s is one whole token.
    for (const ms of [600, 300, 100]) cloud.clock.advance(ms);
    expect(await statuses(`${metered}/probe`, values.burst as string, 2)).toEqual([200, 429]);
    cloud.clock.advance(60_000); // refills to the burst, never past it
    expect(passed(await statuses(`${metered}/probe`, values.burst as string, 8))).toBe(5);
  });

  test('concurrent requests never overspend the bucket', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        call(`${metered}/probe`, { 'x-api-key': values.concurrent as string }),
      ),
    );
    expect(passed(answers.map((answer) => answer.status))).toBe(5);
  });

  test("a plan's per-method throttle (/{proxy+}/ANY, the method as deployed) replaces the plan's", async () => {
    // The plan allows bursts of 100 at 100/s; the method's own setting is 1 and no refill, and its one token went
    // to the first test's call: every method of it stays refused, an hour on too.
    expect(await statuses(`${metered}/probe`, values.fixed as string, 3, 'POST')).toEqual([429, 429, 429]);
    cloud.clock.advance(3_600_000);
    expect(await statuses(`${metered}/probe`, values.fixed as string, 1)).toEqual([429]);
  });

  test("a refused key is not metered: a disabled key's 403s take none of its tokens", async () => {
    expect(await statuses(`${metered}/probe`, values.disabled as string, 3)).toEqual([403, 403, 403]);
    const enable = (value: string) =>
      client.send(
        new UpdateApiKeyCommand({
          apiKey: ids.disabled,
          patchOperations: [{ op: 'replace', path: '/enabled', value }],
        }),
      );
    await enable('true');
    try {
      expect(await statuses(`${metered}/probe`, values.disabled as string, 6)).toEqual([
        200, 200, 200, 200, 200, 429,
      ]);
    } finally {
      await enable('false');
    }
  });
});

describe('quota: Limit per UTC calendar period, Offset fewer in the first (429 Limit Exceeded)', () => {
  test('Limit 3 with Offset 1: 2 today, then Limit Exceeded; 3 again from the next UTC midnight', async () => {
    const today = await statuses(`${metered}/probe`, values.quota as string, 4);
    expect(today).toEqual([200, 200, 429, 429]);
    const refused = await call(`${metered}/probe`, { 'x-api-key': values.quota as string });
    expect(refused.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
    expect(await refused.json()).toEqual({ message: 'Limit Exceeded' });
    const now = cloud.clock.nowMs();
    const nextMidnight = Date.UTC(
      new Date(now).getUTCFullYear(),
      new Date(now).getUTCMonth(),
      new Date(now).getUTCDate() + 1,
    );
    cloud.clock.advance(nextMidnight - now + 1_000);
    try {
      expect(await statuses(`${metered}/probe`, values.quota as string, 4)).toEqual([200, 200, 200, 429]);
    } finally {
      cloud.clock.reset();
    }
  });
});

describe('a key identifies, it never authenticates', () => {
  let guarded: string;
  let keyed: string;
  beforeAll(async () => {
    const resources = {
      PartnerKey: key({ Name: 'partner' }),
      PartnerPlan: plan({ UsagePlanName: 'partners', Throttle: { BurstLimit: 50, RateLimit: 50 } }),
      PartnerPlanKey: planKey('PartnerPlan', 'PartnerKey'),
    };
    ({ url: guarded } = await deployProbeStack(
      cloud,
      {
        stackName: 'guarded',
        authorizationType: 'CUSTOM',
        lambdaAuthorizer: {},
        apiKeyRequired: true,
        extraResources: resources,
      },
      KEYED_AUTHORIZER,
    ));
    ({ url: keyed } = await deployProbeStack(
      cloud,
      {
        stackName: 'keyed',
        authorizationType: 'CUSTOM',
        lambdaAuthorizer: { ttlSeconds: 0 },
        apiKeyRequired: true,
        apiKeySource: 'AUTHORIZER',
        extraResources: {
          ...resources,
          PartnerKey: key({ Name: 'authorizer-partner', Value: 'AuthorizerKey0123456789' }),
        },
      },
      KEYED_AUTHORIZER,
    ));
    const { items } = await client.send(new GetApiKeysCommand({ includeValues: true }));
    for (const item of items ?? []) values[item.name as string] = item.value as string;
  }, 60_000);

  test('a valid key without a token: 401 (authorization first); with a token too: 200', async () => {
    const noToken = await call(`${guarded}/probe`, { 'x-api-key': values.partner as string });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({ message: 'Unauthorized' });
    const both = await call(`${guarded}/probe`, {
      'x-api-key': values.partner as string,
      authorization: 'Bearer x',
    });
    expect(both.status).toBe(200);
    const tokenOnly = await call(`${guarded}/probe`, { authorization: 'Bearer x' });
    expect(tokenOnly.status).toBe(403);
  });

  test("ApiKeySourceType AUTHORIZER: the authorizer's usageIdentifierKey is the key, x-api-key is ignored", async () => {
    const good = await call(`${keyed}/probe`, { authorization: 'key AuthorizerKey0123456789' });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ apiKey: 'AuthorizerKey0123456789' });
    const wrong = await call(`${keyed}/probe`, {
      authorization: 'key NotThePartnersKey0000000',
      'x-api-key': 'AuthorizerKey0123456789',
    });
    expect(wrong.status).toBe(403);
  });
});

describe("the management calls, on API Gateway's REST wire (SDK v3 client, the AWS CLI)", () => {
  test('no key value reaches the local log or the access log (ids only), refusals included', () => {
    const written = `${lines.join('\n')}\n${JSON.stringify(cloud.accessLog)}`;
    expect(Object.keys(values).length).toBeGreaterThanOrEqual(8);
    for (const value of Object.values(values)) expect(written).not.toContain(value);
    expect(written).toContain(ids.burst);
  });

  test('get-api-key without its value; update-api-key disables it, and the key is refused at once', async () => {
    const got = await client.send(new GetApiKeyCommand({ apiKey: ids.fixed }));
    expect(got).toMatchObject({ id: ids.fixed, name: 'fixed', enabled: true });
    expect(got.value).toBeUndefined();
    expect(got.createdDate).toBeInstanceOf(Date);
    const updated = await client.send(
      new UpdateApiKeyCommand({
        apiKey: ids.fixed,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    expect(updated.enabled).toBe(false);
    expect((await call(`${metered}/probe`, { 'x-api-key': values.fixed as string })).status).toBe(403);
    await client.send(
      new UpdateApiKeyCommand({
        apiKey: ids.fixed,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }],
      }),
    );
    await expect(client.send(new GetApiKeyCommand({ apiKey: 'nosuchkey' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  test('get-usage-plans and get-usage (used per day, remaining quota)', async () => {
    const { items } = await client.send(new GetUsagePlansCommand({}));
    const quota = items?.find((item) => item.name === 'quota');
    expect(quota).toMatchObject({ quota: { limit: 3, offset: 1, period: 'DAY' } });
    const burst = items?.find((item) => item.name === 'burst');
    expect(burst).toMatchObject({ throttle: { burstLimit: 5, rateLimit: 1 } });
    const today = cloud.clock.now().toISOString().slice(0, 10);
    const usage = await client.send(
      new GetUsageCommand({ usagePlanId: quota?.id, startDate: today, endDate: today, keyId: ids.quota }),
    );
    expect(usage.items).toEqual({ [ids.quota as string]: [[2, 0]] });
  });

  test("IAM decides: a user without apigateway:GET (another account's, too) gets AccessDeniedException", async () => {
    const denied = new APIGatewayClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: seededUserKeys('partner'),
    });
    try {
      await expect(denied.send(new GetApiKeysCommand({}))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    } finally {
      denied.destroy();
    }
  });

  test('the AWS CLI: aws apigateway get-api-keys --include-values, get-usage-plans', async () => {
    const developer = seededUserKeys('developer');
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: developer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: developer.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    // Asynchronously: the cloud answers in this process, so a blocking child would wait for itself.
    const aws = async (...args: string[]) =>
      JSON.parse(
        (
          await promisify(execFile)('aws', [...args, '--endpoint-url', cloud.url, '--output', 'json'], {
            env,
            encoding: 'utf8',
          })
        ).stdout,
      );
    const keys = (await aws('apigateway', 'get-api-keys', '--include-values')) as {
      items: Array<{ name: string; value: string }>;
    };
    expect(keys.items.find((item) => item.name === 'burst')?.value).toBe(values.burst);
    const plans = (await aws('apigateway', 'get-usage-plans')) as { items: Array<{ name: string }> };
    expect(plans.items.map((item) => item.name)).toEqual(
      expect.arrayContaining(['burst', 'quota', 'partners']),
    );
  });
});

test('counters survive a restart in disk mode', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'usage-state-'));
  try {
    const first = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE, stateDir });
    const { url } = await deployProbeStack(first, {
      stackName: 'persisted',
      apiKeyRequired: true,
      extraResources: {
        QuotaKey: key({ Name: 'persisted', Value: 'PersistedKey0123456789' }),
        QuotaPlan: plan({ UsagePlanName: 'persisted', Quota: { Limit: 3, Period: 'MONTH' } }),
        QuotaPlanKey: planKey('QuotaPlan', 'QuotaKey'),
      },
    });
    expect(await statuses(`${url}/probe`, 'PersistedKey0123456789', 2)).toEqual([200, 200]);
    const port = first.port;
    await first.stop();
    const second = await LocalCloud.start({ port, identitiesFile: LOCAL_IDENTITIES_FILE, stateDir });
    const management = new APIGatewayClient({
      endpoint: second.url,
      region: 'us-east-1',
      credentials: seededUserKeys('developer'),
    });
    try {
      expect(await statuses(`${url}/probe`, 'PersistedKey0123456789', 2)).toEqual([200, 429]);
      // A key disabled with update-api-key stays disabled after a restart (the stack is redeployed from disk).
      const { items } = await management.send(new GetApiKeysCommand({}));
      const id = items?.find((item) => item.name === 'persisted')?.id;
      await management.send(
        new UpdateApiKeyCommand({
          apiKey: id,
          patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
        }),
      );
    } finally {
      management.destroy();
      await second.stop();
    }
    const third = await LocalCloud.start({ port, identitiesFile: LOCAL_IDENTITIES_FILE, stateDir });
    try {
      expect(await statuses(`${url}/probe`, 'PersistedKey0123456789', 1)).toEqual([403]);
    } finally {
      await third.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 60_000);

describe('what the deploy refuses (the local cloud never meters by a guess)', () => {
  test.each([
    [
      'a key value under 20 characters',
      { K: key({ Value: 'short' }) },
      'Value must be 20 to 128 letters and digits',
    ],
    [
      'a KeyType other than API_KEY',
      {
        K: key(),
        P: plan({}),
        PK: { ...planKey('P', 'K'), Properties: { ...planKey('P', 'K').Properties, KeyType: 'OTHER' } },
      },
      'KeyType must be API_KEY',
    ],
    [
      'a throttle without RateLimit',
      { P: plan({ Throttle: { BurstLimit: 5 } }) },
      'needs BurstLimit and RateLimit',
    ],
    [
      'two keys with one value ("API key values must be unique")',
      { K1: key({ Value: 'SameKeyValue0123456789' }), K2: key({ Value: 'SameKeyValue0123456789' }) },
      'values must be unique',
    ],
    [
      'a key in two usage plans for one stage',
      { K: key(), P1: plan({}), P2: plan({}), PK1: planKey('P1', 'K'), PK2: planKey('P2', 'K') },
      'a key may be in one plan per stage',
    ],
    [
      "a key with the value of another stack's key",
      { K: key({ Value: 'FixedLocalKey0123456789' }) },
      'values must be unique',
    ],
    [
      'a quota period that is not DAY, WEEK or MONTH',
      { P: plan({ Quota: { Limit: 5, Period: 'YEAR' } }) },
      'Quota.Period',
    ],
    [
      'a per-method throttle key with a wildcard',
      {
        P: {
          ...plan({}),
          Properties: {
            ApiStages: [
              { ApiId: ref('Api'), Stage: 'test', Throttle: { '/*/*': { BurstLimit: 1, RateLimit: 1 } } },
            ],
          },
        },
      },
      'wildcards are not emulated',
    ],
    [
      'a per-method throttle key that is not /path/METHOD',
      {
        P: {
          ...plan({}),
          Properties: {
            ApiStages: [
              { ApiId: ref('Api'), Stage: 'test', Throttle: { 'GET /x': { BurstLimit: 1, RateLimit: 1 } } },
            ],
          },
        },
      },
      'is not "/resource/path/METHOD"',
    ],
  ])('%s', async (_label, extraResources, message) => {
    await expect(
      deployProbeStack(cloud, { stackName: 'refused-usage', apiKeyRequired: true, extraResources }),
    ).rejects.toThrow(message);
  });
});

test('ApiKeyRequired spelled neither true nor false is refused (read as false, it would serve the route without a key)', async () => {
  const cloudForRefusal = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
  try {
    const template = probeStackTemplate({ stackName: 'loose-flag' }) as unknown as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    (template.Resources.ProxyMethod as { Properties: Record<string, unknown> }).Properties.ApiKeyRequired =
      'True';
    await expect(
      deployWithSources(cloudForRefusal, 'loose-flag', template as never, {
        'probe.zip': 'exports.handler = async () => ({})',
      }),
    ).rejects.toThrow('ApiKeyRequired must be true or false');
  } finally {
    await cloudForRefusal.stop();
  }
});
