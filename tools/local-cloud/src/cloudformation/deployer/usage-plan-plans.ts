import type { ApiKey, QuotaSettings, ThrottleSettings, UsagePlan } from '../../gateway';
import { DeploymentError } from './errors';
import { deterministicId } from './physical-ids';

type Props = Record<string, unknown>;

/** What the API-key planners need of the deployer's PlanContext. */
export interface UsagePlanContext {
  stackName: string;
  logicalId: string;
  /** A secret value derived from this cloud's seed for `label`: generated key values, never in a template. */
  generatedSecret: (label: string) => string;
}

export type UsagePlanPlan =
  | { kind: 'api-key'; key: Omit<ApiKey, 'createdDate'> }
  | { kind: 'usage-plan'; plan: Omit<UsagePlan, 'keyIds' | 'createdMs'> }
  | { kind: 'usage-plan-key'; planId: string; keyId: string };

interface UsagePlanPlanned {
  physicalId: string;
  attributes: Record<string, unknown>;
  plan: UsagePlanPlan;
}

const fail = (ctx: UsagePlanContext, message: string): never => {
  throw new DeploymentError(`${ctx.logicalId}: ${message}`);
};

function text(props: Props, key: string, ctx: UsagePlanContext): string | undefined {
  const value = props[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(ctx, `${key} must be a string`);
  return value as string;
}

function number(value: unknown, what: string, ctx: UsagePlanContext, integer: boolean): number {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (
    typeof parsed !== 'number' ||
    !Number.isFinite(parsed) ||
    parsed < 0 ||
    (integer && !Number.isInteger(parsed))
  )
    fail(ctx, `${what} must be a ${integer ? 'whole ' : ''}number of at least 0`);
  return parsed as number;
}

/** ThrottleSettings (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-usageplan-throttlesettings.html). */
function throttleOf(value: unknown, what: string, ctx: UsagePlanContext): ThrottleSettings | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return fail(ctx, `${what} must be an object`);
  const settings = value as Props;
  // Both limits, or the bucket would be sized or refilled by a guess.
  if (settings.BurstLimit === undefined || settings.RateLimit === undefined)
    fail(
      ctx,
      `${what} needs BurstLimit and RateLimit (the local cloud does not guess account-level defaults)`,
    );
  return {
    burstLimit: number(settings.BurstLimit, `${what}.BurstLimit`, ctx, true),
    rateLimit: number(settings.RateLimit, `${what}.RateLimit`, ctx, false),
  };
}

/** QuotaSettings (https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html). */
function quotaOf(value: unknown, ctx: UsagePlanContext): QuotaSettings | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return fail(ctx, 'Quota must be an object');
  const quota = value as Props;
  const period = quota.Period;
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH')
    fail(ctx, 'Quota.Period must be DAY, WEEK or MONTH');
  const limit = number(quota.Limit, 'Quota.Limit', ctx, true);
  const offset = quota.Offset === undefined ? 0 : number(quota.Offset, 'Quota.Offset', ctx, true);
  if (offset >= limit && limit > 0) fail(ctx, 'Quota.Offset must be less than Quota.Limit');
  return { limit, offset, period: period as QuotaSettings['period'] };
}

/** `/resource/path/METHOD` (a per-method throttle's key, e.g. `/pets/GET`: aws-cdk usage-plan.ts). */
const METHOD_KEY = /^\/[\w\-./{}+]*\/(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)$/;

export const USAGE_PLAN_PLANNERS: Record<string, (props: Props, ctx: UsagePlanContext) => UsagePlanPlanned> =
  {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-apikey.html
    'AWS::ApiGateway::ApiKey': (props, ctx) => {
      const id = deterministicId(10, ctx.stackName, ctx.logicalId);
      const given = text(props, 'Value', ctx);
      // "The value must be at least 20 characters" (Value); alphanumeric keeps it a safe header value.
      if (given !== undefined && !/^[A-Za-z0-9]{20,128}$/.test(given))
        fail(ctx, 'Value must be 20 to 128 letters and digits');
      // Generated when not given, as API Gateway does: derived from this cloud's secret seed (stable across
      // redeploys and restarts), so no key value ever needs to be in a template or in git.
      const value = given ?? ctx.generatedSecret(`api-key:${ctx.stackName}/${ctx.logicalId}`);
      const enabled = props.Enabled === undefined ? true : props.Enabled === true || props.Enabled === 'true';
      if (
        props.Enabled !== undefined &&
        typeof props.Enabled !== 'boolean' &&
        !['true', 'false'].includes(String(props.Enabled))
      )
        fail(ctx, 'Enabled must be true or false');
      const name = text(props, 'Name', ctx) ?? `${ctx.stackName}-${ctx.logicalId}`;
      const description = text(props, 'Description', ctx);
      const customerId = text(props, 'CustomerId', ctx);
      return {
        physicalId: id,
        attributes: { APIKeyId: id },
        plan: {
          kind: 'api-key',
          key: {
            id,
            name,
            value,
            enabled,
            ...(description === undefined ? {} : { description }),
            ...(customerId === undefined ? {} : { customerId }),
          },
        },
      };
    },
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-usageplan.html
    'AWS::ApiGateway::UsagePlan': (props, ctx) => {
      const id = deterministicId(6, ctx.stackName, ctx.logicalId);
      const stages = props.ApiStages ?? [];
      if (!Array.isArray(stages)) fail(ctx, 'ApiStages must be a list');
      const apiStages = (stages as Props[]).map((entry, index) => {
        const apiId = entry.ApiId;
        const stage = entry.Stage;
        if (typeof apiId !== 'string' || typeof stage !== 'string')
          fail(ctx, `ApiStages[${index}] needs ApiId and Stage`);
        const throttle: Record<string, ThrottleSettings> = {};
        for (const [methodKey, settings] of Object.entries((entry.Throttle ?? {}) as Props)) {
          // Wildcards (`/*/*`) would meter a set of methods the local cloud does not resolve: refused, not ignored.
          if (methodKey.includes('*'))
            fail(
              ctx,
              `ApiStages[${index}].Throttle key ${methodKey}: wildcards are not emulated; name each method`,
            );
          if (!METHOD_KEY.test(methodKey))
            fail(ctx, `ApiStages[${index}].Throttle key ${methodKey} is not "/resource/path/METHOD"`);
          throttle[methodKey] = throttleOf(
            settings,
            `ApiStages[${index}].Throttle.${methodKey}`,
            ctx,
          ) as ThrottleSettings;
        }
        return { apiId: apiId as string, stage: stage as string, throttle };
      });
      const throttle = throttleOf(props.Throttle, 'Throttle', ctx);
      const quota = quotaOf(props.Quota, ctx);
      const description = text(props, 'Description', ctx);
      return {
        physicalId: id,
        attributes: { Id: id },
        plan: {
          kind: 'usage-plan',
          plan: {
            id,
            name: text(props, 'UsagePlanName', ctx) ?? `${ctx.stackName}-${ctx.logicalId}`,
            apiStages,
            ...(throttle ? { throttle } : {}),
            ...(quota ? { quota } : {}),
            ...(description === undefined ? {} : { description }),
          },
        },
      };
    },
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-usageplankey.html
    'AWS::ApiGateway::UsagePlanKey': (props, ctx) => {
      if (props.KeyType !== 'API_KEY') fail(ctx, 'KeyType must be API_KEY (the only valid type)');
      const planId = text(props, 'UsagePlanId', ctx);
      const keyId = text(props, 'KeyId', ctx);
      if (!planId || !keyId) fail(ctx, 'UsagePlanId and KeyId are required');
      return {
        physicalId: `${keyId}:${planId}`,
        attributes: {},
        plan: { kind: 'usage-plan-key', planId: planId as string, keyId: keyId as string },
      };
    },
  };
