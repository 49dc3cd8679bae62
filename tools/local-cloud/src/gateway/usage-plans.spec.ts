import { periodStart, UsagePlanStore } from './usage-plans';

// Usage-plan arithmetic (research notes E: ../shared/research/api-gateway-authorizers.md). Quota periods are UTC
// calendar periods; AWS documents DAY, WEEK and MONTH but not where a week starts: ISO weeks (Monday) here.
const at = (iso: string) => Date.parse(iso);

test.each([
  ['DAY', '2026-12-02T23:59:59.999Z', '2026-12-02T00:00:00.000Z'],
  ['WEEK', '2026-12-02T10:00:00.000Z', '2026-11-30T00:00:00.000Z'], // a Wednesday: its week began on Monday
  ['WEEK', '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
  ['WEEK', '2026-12-06T23:00:00.000Z', '2026-11-30T00:00:00.000Z'], // Sunday ends the week
  ['MONTH', '2026-12-31T23:59:59.000Z', '2026-12-01T00:00:00.000Z'],
] as const)('%s period of %s starts %s', (period, when, start) => {
  expect(new Date(periodStart(period, at(when))).toISOString()).toBe(start);
});

describe('UsagePlanStore', () => {
  const key = {
    id: 'k1',
    name: 'k',
    value: 'KeyValue0123456789abcd',
    enabled: true,
    createdDate: '2026-12-01T00:00:00Z',
  };
  const stage = { apiId: 'api1', stage: 'prod', throttle: {} };
  const store = (plan: Record<string, unknown>, created = at('2026-12-02T12:00:00Z')) => {
    const usage = new UsagePlanStore();
    usage.putStack(
      's',
      [{ ...key }],
      [{ id: 'p1', name: 'p', apiStages: [stage], keyIds: ['k1'], ...plan }],
      created,
    );
    return usage;
  };
  const call = (usage: UsagePlanStore, nowMs: number, method = 'GET') =>
    usage.check('api1', 'prod', '/orders', method, key.value, nowMs);

  test('the bucket refills fractionally: 2.5 tokens a second after emptying 5', () => {
    const usage = store({ throttle: { burstLimit: 5, rateLimit: 2.5 } });
    const t0 = at('2026-12-02T12:00:00Z');
    const burst = Array.from({ length: 6 }, () => call(usage, t0).ok);
    expect(burst).toEqual([true, true, true, true, true, false]);
    expect([call(usage, t0 + 1000).ok, call(usage, t0 + 1000).ok, call(usage, t0 + 1000).ok]).toEqual([
      true,
      true,
      false,
    ]);
    // The half token left from that second, plus half a second's 1.25: one more.
    expect([call(usage, t0 + 1500).ok, call(usage, t0 + 1500).ok]).toEqual([true, false]);
  });

  test('Offset counts in the initial period only; the next period has the whole Limit', () => {
    const usage = store({ quota: { limit: 4, offset: 3, period: 'DAY' } });
    expect([call(usage, at('2026-12-02T13:00:00Z')).ok, call(usage, at('2026-12-02T14:00:00Z')).ok]).toEqual([
      true,
      false,
    ]);
    const next = Array.from({ length: 5 }, () => call(usage, at('2026-12-03T00:00:00Z')));
    expect(next.map((outcome) => outcome.ok)).toEqual([true, true, true, true, false]);
    expect(next[4]).toMatchObject({ ok: false, kind: 'quota' });
  });

  test('a throttled request does not use quota', () => {
    const usage = store({
      throttle: { burstLimit: 1, rateLimit: 0 },
      quota: { limit: 2, offset: 0, period: 'DAY' },
    });
    const t0 = at('2026-12-02T12:00:00Z');
    expect(
      [call(usage, t0), call(usage, t0), call(usage, t0)].map((outcome) =>
        outcome.ok ? 'ok' : outcome.kind,
      ),
    ).toEqual(['ok', 'throttled', 'throttled']);
    expect(usage.usage(usage.plan('p1')!, '2026-12-02', '2026-12-02', 'k1')).toEqual({ k1: [[1, 1]] });
  });

  test('a key value that differs in any byte, or in length, is no key', () => {
    const usage = store({});
    for (const value of [`${key.value}x`, key.value.slice(0, -1), `${key.value.slice(0, -1)}X`])
      expect(usage.check('api1', 'prod', '/orders', 'GET', value, 0)).toMatchObject({
        ok: false,
        kind: 'forbidden',
        reason: 'no such API key',
      });
  });

  test('a clock moved back refills nothing, and moving forward again does not refill twice', () => {
    const usage = store({ throttle: { burstLimit: 2, rateLimit: 1 } });
    const t0 = at('2026-12-02T12:00:00Z');
    expect([call(usage, t0).ok, call(usage, t0).ok, call(usage, t0).ok]).toEqual([true, true, false]);
    expect(call(usage, t0 - 10_000).ok).toBe(false);
    expect([call(usage, t0 + 1000).ok, call(usage, t0 + 1000).ok]).toEqual([true, false]);
  });

  test('removing the stack forgets its counters: a new stack of that name starts with a full quota', () => {
    const usage = store({ quota: { limit: 1, offset: 0, period: 'DAY' } });
    const t0 = at('2026-12-02T12:00:00Z');
    expect([call(usage, t0).ok, call(usage, t0).ok]).toEqual([true, false]);
    usage.removeStack('s');
    expect(call(usage, t0)).toMatchObject({ ok: false, kind: 'forbidden' });
    usage.putStack(
      's',
      [{ ...key }],
      [
        {
          id: 'p1',
          name: 'p',
          apiStages: [stage],
          keyIds: ['k1'],
          quota: { limit: 1, offset: 0, period: 'DAY' },
        },
      ],
      t0,
    );
    expect(call(usage, t0).ok).toBe(true);
  });

  test('update-api-key survives a redeploy, until the template changes Enabled itself', () => {
    const usage = store({});
    usage.setEnabled('k1', false, '2026-12-02T12:00:00.000Z');
    const redeploy = (enabled: boolean) =>
      usage.putStack(
        's',
        [{ ...key, enabled }],
        [{ id: 'p1', name: 'p', apiStages: [stage], keyIds: ['k1'] }],
        0,
      );
    redeploy(true);
    expect(usage.key('k1')).toMatchObject({ enabled: false, lastUpdatedDate: '2026-12-02T12:00:00.000Z' });
    redeploy(false); // the template now says disabled: the override is spent
    redeploy(true);
    expect(usage.key('k1')?.enabled).toBe(true);
  });
});
