import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiKey, QuotaSettings, ThrottleSettings, UsagePlan } from './types';

// API keys and usage plans as API Gateway enforces them (research notes E: ../shared/research/api-gateway-authorizers.md;
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html,
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html). Keys identify
// and meter a client; they never authenticate one: the gateway checks them after authorization.

export type UsageOutcome =
  | { ok: true; key: ApiKey; plan: UsagePlan }
  | { ok: false; kind: 'forbidden' | 'throttled' | 'quota'; reason: string; key?: ApiKey };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

interface QuotaCounter {
  periodStartMs: number;
  used: number;
}

/** An `update-api-key` of `enabled`, kept until the template's own `Enabled` for the key changes. */
interface EnabledOverride {
  enabled: boolean;
  templateEnabled: boolean;
  updatedDate: string;
}

interface Persisted {
  enabledOverrides?: Record<string, EnabledOverride>;
  buckets: Record<string, Bucket>;
  quotas: Record<string, QuotaCounter>;
  daily: Record<string, number>;
  plansCreatedMs: Record<string, number>;
}

const DAY_MS = 86_400_000;
/** Tokens are counted in millionths. */
const MICRO = 1_000_000;

/** The start (ms, UTC) of the calendar period holding `ms`: a day, an ISO week (from Monday), a month. */
export function periodStart(period: QuotaSettings['period'], ms: number): number {
  const date = new Date(ms);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/** A usage plan's settings and its keys' quota use now. */
export interface UsagePlanCounters {
  id: string;
  name: string;
  apiStages: string[];
  throttle: ThrottleSettings | null;
  quota: QuotaSettings | null;
  keys: Array<{
    id: string;
    name: string;
    enabled: boolean;
    quotaUsed: number | null;
    quotaLeft: number | null;
  }>;
}

/**
 * The deployed API keys and usage plans (by stack) and their counters: a token bucket per key and plan (or per
 * key, plan and method where the plan's API stage throttles that method), a quota counter per key and plan for
 * the current UTC period, and daily counts for `get-usage`. Counters are kept across restarts in disk mode.
 */
export class UsagePlanStore {
  private readonly stacks = new Map<string, { keys: ApiKey[]; plans: UsagePlan[] }>();
  private keysById = new Map<string, ApiKey>();
  private keysByDigest = new Map<string, ApiKey>();
  private plansById = new Map<string, UsagePlan>();
  private plansByKey = new Map<string, UsagePlan[]>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly quotas = new Map<string, QuotaCounter>();
  private readonly daily = new Map<string, number>();
  private readonly plansCreatedMs = new Map<string, number>();
  private readonly enabledOverrides = new Map<string, EnabledOverride>();
  private pendingWrite?: NodeJS.Timeout;

  /** `file`: where counters are kept (disk mode); undefined keeps them in memory. */
  public constructor(private readonly file?: string) {
    if (!file || !existsSync(file)) return;
    let saved: Persisted;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as Persisted;
    } catch {
      // Unreadable (a crash mid-write cannot cause it: writes are atomic): kept aside, never deleted.
      renameSync(file, `${file}.unreadable-${Date.now()}`);
      return;
    }
    for (const [key, bucket] of Object.entries(saved.buckets ?? {})) this.buckets.set(key, bucket);
    for (const [key, quota] of Object.entries(saved.quotas ?? {})) this.quotas.set(key, quota);
    for (const [key, count] of Object.entries(saved.daily ?? {})) this.daily.set(key, count);
    for (const [key, ms] of Object.entries(saved.plansCreatedMs ?? {})) this.plansCreatedMs.set(key, ms);
    for (const [key, override] of Object.entries(saved.enabledOverrides ?? {}))
      this.enabledOverrides.set(key, override);
  }

  /** Replaces a stack's keys and plans (a redeploy keeps the counters of ids that stay). */
  public putStack(
    stackName: string,
    keys: ApiKey[],
    plans: Array<Omit<UsagePlan, 'createdMs'>>,
    nowMs: number,
  ): void {
    const withCreation = plans.map((plan) => {
      const createdMs = this.plansCreatedMs.get(plan.id) ?? nowMs;
      this.plansCreatedMs.set(plan.id, createdMs);
      return { ...plan, createdMs };
    });
    // A key disabled (or enabled) with update-api-key stays so across redeploys and restarts, as CloudFormation
    // leaves an unchanged resource alone, until the template's own Enabled for it changes.
    const withOverrides = keys.map((key) => {
      const override = this.enabledOverrides.get(key.id);
      if (!override) return key;
      if (override.templateEnabled !== key.enabled) {
        this.enabledOverrides.delete(key.id);
        return key;
      }
      return { ...key, enabled: override.enabled, lastUpdatedDate: override.updatedDate };
    });
    this.stacks.set(stackName, { keys: withOverrides, plans: withCreation });
    this.reindex();
    this.scheduleWrite();
  }

  /**
   * Why this stack's keys and plans cannot be deployed beside the others, if they cannot: API key values are
   * unique ("API key values must be unique", api-gateway-api-usage-plans.html), and "a given API key can only be
   * associated with one usage plan for each stage" (the same page).
   */
  public conflict(
    stackName: string,
    keys: ApiKey[],
    plans: Array<Omit<UsagePlan, 'createdMs'>>,
  ): string | undefined {
    const others = [...this.stacks].filter(([name]) => name !== stackName).map(([, stack]) => stack);
    const values = new Map<string, string>();
    for (const key of [...others.flatMap((stack) => stack.keys), ...keys]) {
      const seen = values.get(key.value);
      if (seen !== undefined && seen !== key.id)
        return `API key ${key.name} has the value of another API key: values must be unique`;
      values.set(key.value, key.id);
    }
    const stagesOfKey = new Map<string, string>();
    for (const plan of [...others.flatMap((stack) => stack.plans), ...plans])
      for (const keyId of plan.keyIds)
        for (const entry of plan.apiStages) {
          const where = `${keyId}\u0000${entry.apiId}\u0000${entry.stage}`;
          const other = stagesOfKey.get(where);
          if (other !== undefined && other !== plan.id)
            return `API key ${keyId} is in two usage plans (${other}, ${plan.id}) for API ${entry.apiId} stage ${entry.stage}: a key may be in one plan per stage`;
          stagesOfKey.set(where, plan.id);
        }
    return undefined;
  }

  /** Removes a stack's keys and plans with their counters (a new stack of that name starts afresh). */
  public removeStack(stackName: string): void {
    const removed = this.stacks.get(stackName);
    if (!removed) return;
    this.stacks.delete(stackName);
    const planIds = new Set(removed.plans.map((plan) => plan.id));
    for (const key of removed.keys) this.enabledOverrides.delete(key.id);
    for (const id of planIds) this.plansCreatedMs.delete(id);
    for (const counters of [this.buckets, this.quotas, this.daily])
      for (const id of counters.keys()) if (planIds.has(id.split('\u0000')[0] ?? '')) counters.delete(id);
    this.reindex();
    this.scheduleWrite();
  }

  public keys(): ApiKey[] {
    return [...this.keysById.values()];
  }

  public key(id: string): ApiKey | undefined {
    return this.keysById.get(id);
  }

  public plans(): UsagePlan[] {
    return [...this.plansById.values()];
  }

  public plan(id: string): UsagePlan | undefined {
    return this.plansById.get(id);
  }

  /**
   * Each plan with its keys' use now (what the console shows): the quota used and left in the current period.
   * Never a key's value.
   */
  public counters(nowMs: number): UsagePlanCounters[] {
    return this.plans().map((plan) => ({
      id: plan.id,
      name: plan.name,
      apiStages: plan.apiStages.map(({ apiId, stage }) => `${apiId}/${stage}`),
      throttle: plan.throttle ?? null,
      quota: plan.quota ?? null,
      keys: plan.keyIds.map((keyId) => {
        const key = this.keysById.get(keyId);
        const quota = plan.quota && this.quotaLeft(plan, plan.quota, `${plan.id}\u0000${keyId}`, nowMs);
        return {
          id: keyId,
          name: key?.name ?? keyId,
          enabled: key?.enabled ?? false,
          quotaUsed: quota?.used ?? null,
          quotaLeft: quota ? Math.max(0, quota.left) : null,
        };
      }),
    }));
  }

  /** `update-api-key`: enable or disable a key (kept across restarts and redeploys; see putStack). */
  public setEnabled(id: string, enabled: boolean, nowIso: string): ApiKey | undefined {
    const key = this.keysById.get(id);
    if (!key) return undefined;
    const templateEnabled = this.enabledOverrides.get(id)?.templateEnabled ?? key.enabled;
    this.enabledOverrides.set(id, { enabled, templateEnabled, updatedDate: nowIso });
    key.enabled = enabled;
    key.lastUpdatedDate = nowIso;
    this.scheduleWrite();
    return key;
  }

  /**
   * A request to `apiId`/`stage`, method `httpMethod` of resource `resourcePath`, with `keyValue`: the key must
   * exist, be enabled and belong to a usage plan for this API stage (else 403); then the plan's quota for the
   * current period (else 429 Limit Exceeded) and its throttle (else 429 Too Many Requests). A request that
   * passes takes a token and counts against the quota; a refused one does neither.
   */
  public check(
    apiId: string,
    stage: string,
    resourcePath: string,
    httpMethod: string,
    keyValue: string | undefined,
    nowMs: number,
  ): UsageOutcome {
    if (keyValue === undefined || keyValue === '')
      return { ok: false, kind: 'forbidden', reason: 'no API key' };
    const candidate = this.keysByDigest.get(digest(keyValue));
    const value = Buffer.from(keyValue);
    if (
      !candidate ||
      value.length !== candidate.value.length ||
      !timingSafeEqual(value, Buffer.from(candidate.value))
    )
      return { ok: false, kind: 'forbidden', reason: 'no such API key' };
    const key = candidate;
    if (!key.enabled) return { ok: false, kind: 'forbidden', reason: `API key ${key.id} is disabled`, key };
    // The key's plans, indexed at deploy: no scan of every plan per request.
    const found = this.plansByKey
      .get(key.id)
      ?.find((plan) => plan.apiStages.some((entry) => entry.apiId === apiId && entry.stage === stage));
    if (!found)
      return {
        ok: false,
        kind: 'forbidden',
        reason: `API key ${key.id} is in no usage plan for API ${apiId} stage ${stage}`,
        key,
      };
    const plan = found;
    const counter = `${plan.id}\u0000${key.id}`;
    const quota = plan.quota && this.quotaLeft(plan, plan.quota, counter, nowMs);
    if (quota !== undefined && quota.left <= 0)
      return {
        ok: false,
        kind: 'quota',
        reason: `usage plan ${plan.name}: quota of ${plan.quota?.limit} per ${plan.quota?.period} used`,
        key,
      };
    const methodKey = `${resourcePath}/${httpMethod}`;
    const stageEntry = plan.apiStages.find((entry) => entry.apiId === apiId && entry.stage === stage);
    const methodThrottle = stageEntry?.throttle[methodKey];
    const throttle = methodThrottle ?? plan.throttle;
    if (
      throttle &&
      !this.takeToken(methodThrottle ? `${counter}\u0000${methodKey}` : counter, throttle, nowMs)
    )
      return {
        ok: false,
        kind: 'throttled',
        reason: `usage plan ${plan.name}: ${methodThrottle ? methodKey : 'plan'} throttle (burst ${throttle.burstLimit}, rate ${throttle.rateLimit}/s)`,
        key,
      };
    // A clock moved back to an earlier period does not overwrite the later period's count.
    const stored = this.quotas.get(counter);
    if (quota && (!stored || stored.periodStartMs <= quota.periodStartMs))
      this.quotas.set(counter, { periodStartMs: quota.periodStartMs, used: quota.used + 1 });
    const day = `${counter}\u0000${utcDay(nowMs)}`;
    this.daily.set(day, (this.daily.get(day) ?? 0) + 1);
    this.scheduleWrite();
    return { ok: true, key, plan };
  }

  /**
   * `get-usage`: per key, per UTC day from `startDate` to `endDate`, [used that day, quota remaining at its end]
   * (the remaining figure from the day counts of its quota period; 0 for a plan without a quota).
   */
  public usage(
    plan: UsagePlan,
    startDate: string,
    endDate: string,
    keyId: string | undefined,
  ): Record<string, Array<[number, number]>> {
    const result: Record<string, Array<[number, number]>> = {};
    const start = Date.parse(`${startDate}T00:00:00Z`);
    const end = Date.parse(`${endDate}T00:00:00Z`);
    const quota = plan.quota;
    for (const id of plan.keyIds) {
      if (keyId !== undefined && id !== keyId) continue;
      const counter = `${plan.id}\u0000${id}`;
      const usedOn = (day: number) => this.daily.get(`${counter}\u0000${utcDay(day)}`) ?? 0;
      const days: Array<[number, number]> = [];
      for (let day = start; day <= end && days.length < 400; day += DAY_MS) {
        let remaining = 0;
        if (quota) {
          const first = periodStart(quota.period, day);
          let used = 0;
          for (let past = first; past <= day; past += DAY_MS) used += usedOn(past);
          const initial = periodStart(quota.period, plan.createdMs) === first;
          remaining = Math.max(0, quota.limit - (initial ? quota.offset : 0) - used);
        }
        days.push([usedOn(day), remaining]);
      }
      result[id] = days;
    }
    return result;
  }

  /** Writes the counters now (disk mode): at stop, so nothing counted is lost. */
  public flush(): void {
    if (this.pendingWrite) clearTimeout(this.pendingWrite);
    this.pendingWrite = undefined;
    if (!this.file) return;
    const saved: Persisted = {
      buckets: Object.fromEntries(this.buckets),
      quotas: Object.fromEntries(this.quotas),
      daily: Object.fromEntries(this.daily),
      plansCreatedMs: Object.fromEntries(this.plansCreatedMs),
      enabledOverrides: Object.fromEntries(this.enabledOverrides),
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.partial`;
    writeFileSync(partial, JSON.stringify(saved), { mode: 0o600 });
    renameSync(partial, this.file);
  }

  private scheduleWrite(): void {
    if (!this.file || this.pendingWrite) return;
    this.pendingWrite = setTimeout(() => this.flush(), 500);
    this.pendingWrite.unref();
  }

  private quotaLeft(plan: UsagePlan, quota: QuotaSettings, counter: string, nowMs: number) {
    const start = periodStart(quota.period, nowMs);
    const current = this.quotas.get(counter);
    const used = current?.periodStartMs === start ? current.used : 0;
    // "The number of requests subtracted from the given limit in the initial time period" (API_QuotaSettings).
    const initial = periodStart(quota.period, plan.createdMs) === start;
    return { periodStartMs: start, used, left: quota.limit - (initial ? quota.offset : 0) - used };
  }

  /**
   * A token bucket that starts full: `burstLimit` tokens, `rateLimit` more per second of the cloud clock. Kept in
   * integer micro-tokens from integer milliseconds, so refills add up exactly (0.6 s + 0.3 s + 0.1 s at 1/s is one
   * whole token, never 0.9999999999999999). A clock moved back refills nothing and is not counted twice.
   */
  private takeToken(id: string, throttle: ThrottleSettings, nowMs: number): boolean {
    const capacity = throttle.burstLimit * MICRO;
    const bucket = this.buckets.get(id) ?? { tokens: capacity, updatedMs: nowMs };
    const elapsedMs = Math.max(0, Math.floor(nowMs) - bucket.updatedMs);
    const tokens = Math.min(
      capacity,
      bucket.tokens + Math.floor(elapsedMs * throttle.rateLimit * (MICRO / 1000)),
    );
    const passes = tokens >= MICRO;
    this.buckets.set(id, {
      tokens: passes ? tokens - MICRO : tokens,
      updatedMs: Math.max(bucket.updatedMs, Math.floor(nowMs)),
    });
    return passes;
  }

  private reindex(): void {
    const keys = [...this.stacks.values()].flatMap((stack) => stack.keys);
    const plans = [...this.stacks.values()].flatMap((stack) => stack.plans);
    this.keysById = new Map(keys.map((key) => [key.id, key]));
    this.keysByDigest = new Map(keys.map((key) => [digest(key.value), key]));
    this.plansById = new Map(plans.map((plan) => [plan.id, plan]));
    this.plansByKey = new Map();
    for (const plan of plans)
      for (const keyId of plan.keyIds)
        this.plansByKey.set(keyId, [...(this.plansByKey.get(keyId) ?? []), plan]);
  }
}
