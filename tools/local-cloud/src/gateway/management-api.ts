import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import { jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import { authorize, notAuthorizedMessage } from '../iam';
import type { ApiKey, UsagePlan } from './types';
import type { UsagePlanStore } from './usage-plans';

/**
 * The API Gateway management calls users reach for with API keys, on API Gateway's REST wire protocol
 * (rest-json, SigV4 scope `apigateway`), so the real AWS CLI and SDKs work: `get-api-keys [--include-values]`,
 * `get-api-key [--include-value]`, `update-api-key` (`replace /enabled`), `get-usage-plans`, `get-usage-plan`,
 * `get-usage`. Each needs the IAM engine's Allow for `apigateway:<HTTP method>` on the resource's ARN
 * (`arn:aws:apigateway:<region>::/apikeys/<id>`: https://docs.aws.amazon.com/apigateway/latest/developerguide/security_iam_service-with-iam.html).
 */
export class ApiGatewayManagement {
  public constructor(
    private readonly usagePlans: UsagePlanStore,
    private readonly authenticator: Authenticator,
    private readonly clock: Clock,
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Whether a request is one of these calls (by path), so the dispatcher can send it here. */
  public static handles(rawPath: string): boolean {
    return /^\/(apikeys|usageplans)(\/|$)/.test(rawPath);
  }

  public handle(request: IncomingRequest): OutgoingResponse {
    const authentication = this.authenticator.authenticate(request, 'apigateway');
    if (!authentication.ok) {
      const { error } = authentication;
      return error_(403, `${error.code}Exception`, error.message.split('\n')[0] ?? error.message);
    }
    const { caller } = authentication;
    const resource = `arn:aws:apigateway:${this.region}::${request.rawPath}`;
    const action = `apigateway:${request.method}`;
    const decision = authorize({
      principal: caller.principal,
      action,
      resource,
      resourceAccountId: caller.principal.accountId,
      identityPolicies: caller.identityPolicies,
      sessionPolicies: caller.sessionPolicies,
      context: { 'aws:CurrentTime': this.clock.now().toISOString(), 'aws:SourceIp': request.sourceIp },
    });
    if (!decision.allowed) {
      this.log(`403 ${request.method} ${request.rawPath} (apigateway): ${decision.explanation}`);
      return jsonReply(
        403,
        { Message: notAuthorizedMessage(caller.principal.arn, action, resource, decision) },
        { 'x-amzn-errortype': 'AccessDeniedException' },
      );
    }
    const query = new URLSearchParams(request.rawQuery);
    const match = /^\/(apikeys|usageplans)(?:\/([^/]+)(\/usage)?)?$/.exec(request.rawPath);
    const id = match?.[2] === undefined ? '' : decodeURIComponent(match[2]);
    const route = match
      ? `${request.method} /${match[1]}${match[2] === undefined ? '' : '/{id}'}${match[3] ?? ''}`
      : '';
    switch (route) {
      case 'GET /apikeys':
        return jsonReply(200, {
          item: this.usagePlans
            .keys()
            .filter((key) => !query.has('name') || key.name.startsWith(query.get('name') as string))
            .map((key) => apiKeyJson(key, query.get('includeValues') === 'true')),
        });
      case 'GET /apikeys/{id}': {
        const key = this.usagePlans.key(id);
        return key
          ? jsonReply(200, apiKeyJson(key, query.get('includeValue') === 'true'))
          : notFound('API Key');
      }
      case 'PATCH /apikeys/{id}':
        return this.updateApiKey(id, request);
      case 'GET /usageplans':
        return jsonReply(200, {
          item: this.usagePlans
            .plans()
            .filter((plan) => !query.has('keyId') || plan.keyIds.includes(query.get('keyId') as string))
            .map(usagePlanJson),
        });
      case 'GET /usageplans/{id}': {
        const plan = this.usagePlans.plan(id);
        return plan ? jsonReply(200, usagePlanJson(plan)) : notFound('Usage Plan');
      }
      case 'GET /usageplans/{id}/usage':
        return this.usage(id, query);
      default:
        return error_(
          404,
          'NotFoundException',
          `The local cloud does not emulate ${request.method} ${request.rawPath}`,
        );
    }
  }

  private updateApiKey(id: string, request: IncomingRequest): OutgoingResponse {
    const key = this.usagePlans.key(id);
    if (!key) return notFound('API Key');
    let operations: unknown;
    try {
      operations = (JSON.parse(request.body.toString('utf8') || '{}') as { patchOperations?: unknown })
        .patchOperations;
    } catch {
      return error_(400, 'BadRequestException', 'Invalid JSON');
    }
    if (!Array.isArray(operations))
      return error_(400, 'BadRequestException', 'patchOperations must be a list');
    for (const operation of operations as Array<Record<string, unknown>>) {
      if (
        operation.op !== 'replace' ||
        operation.path !== '/enabled' ||
        !['true', 'false'].includes(String(operation.value))
      )
        return error_(
          400,
          'BadRequestException',
          `Invalid patch operation ${JSON.stringify(operation).slice(0, 100)}: the local cloud emulates replace /enabled (true or false)`,
        );
    }
    for (const operation of operations as Array<Record<string, unknown>>)
      this.usagePlans.setEnabled(id, String(operation.value) === 'true');
    this.log(`API key ${id} ${key.enabled ? 'enabled' : 'disabled'} (update-api-key)`);
    return jsonReply(200, apiKeyJson(key, false));
  }

  private usage(id: string, query: URLSearchParams): OutgoingResponse {
    const plan = this.usagePlans.plan(id);
    if (!plan) return notFound('Usage Plan');
    const startDate = query.get('startDate') ?? '';
    const endDate = query.get('endDate') ?? '';
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (!day.test(startDate) || !day.test(endDate) || startDate > endDate)
      return error_(
        400,
        'BadRequestException',
        'startDate and endDate must be dates (YYYY-MM-DD), startDate first',
      );
    const keyId = query.get('keyId') ?? undefined;
    return jsonReply(200, {
      usagePlanId: plan.id,
      startDate,
      endDate,
      values: this.usagePlans.usage(plan, startDate, endDate, keyId),
    });
  }
}

function error_(status: number, code: string, message: string): OutgoingResponse {
  return jsonReply(status, { message }, { 'x-amzn-errortype': code });
}

const notFound = (what: string) => error_(404, 'NotFoundException', `Invalid ${what} identifier specified`);

/** rest-json timestamps: epoch seconds. */
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function apiKeyJson(key: ApiKey, withValue: boolean): Record<string, unknown> {
  return {
    id: key.id,
    name: key.name,
    enabled: key.enabled,
    createdDate: epochSeconds(key.createdDate),
    lastUpdatedDate: epochSeconds(key.createdDate),
    stageKeys: [],
    ...(key.description === undefined ? {} : { description: key.description }),
    ...(key.customerId === undefined ? {} : { customerId: key.customerId }),
    ...(withValue ? { value: key.value } : {}),
  };
}

function usagePlanJson(plan: UsagePlan): Record<string, unknown> {
  const throttleJson = (settings: { burstLimit: number; rateLimit: number }) => ({
    burstLimit: settings.burstLimit,
    rateLimit: settings.rateLimit,
  });
  return {
    id: plan.id,
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    apiStages: plan.apiStages.map((entry) => ({
      apiId: entry.apiId,
      stage: entry.stage,
      ...(Object.keys(entry.throttle).length > 0
        ? {
            throttle: Object.fromEntries(
              Object.entries(entry.throttle).map(([key, value]) => [key, throttleJson(value)]),
            ),
          }
        : {}),
    })),
    ...(plan.throttle ? { throttle: throttleJson(plan.throttle) } : {}),
    ...(plan.quota ? { quota: { ...plan.quota } } : {}),
  };
}
