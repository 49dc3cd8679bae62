import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import { explained, jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import { iamDecision } from '../requests';
import { jsonProtocolError } from '../http/sigv4-wire-errors';
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
    /** The one account whose keys and plans these are. */
    private readonly accountId: string,
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
      const wire = jsonProtocolError(error);
      return error_(wire.status, wire.code, error.message.split('\n')[0] ?? error.message);
    }
    const { caller } = authentication;
    // Ids as API Gateway makes them (letters and digits), matched before IAM sees the resource: the ARN names
    // exactly what is read or changed (a percent-encoded id could otherwise slip past a Deny on the plain one).
    const match = /^\/(apikeys|usageplans)(?:\/([a-z0-9]{1,64})(\/usage)?)?$/.exec(request.rawPath);
    if (!match)
      return error_(
        404,
        'NotFoundException',
        `The local cloud does not emulate ${request.method} ${request.rawPath.slice(0, 200)}`,
      );
    const [, collection, id = '', usage] = match;
    const resource = `arn:aws:apigateway:${this.region}::/${collection}${id ? `/${id}` : ''}${usage ?? ''}`;
    const action = `apigateway:${request.method}`;
    const decision = authorize({
      principal: caller.principal,
      action,
      resource,
      // The keys and plans are this account's: another account's caller needs what cross-account access needs
      // (API Gateway has no resource policies for them, so it is refused).
      resourceAccountId: this.accountId,
      identityPolicies: caller.identityPolicies,
      sessionPolicies: caller.sessionPolicies,
      context: { 'aws:SourceIp': request.sourceIp },
      now: this.clock.now(),
    });
    if (!decision.allowed) {
      this.log(`403 ${request.method} ${request.rawPath} (apigateway): ${decision.explanation}`);
      return explained(
        jsonReply(
          403,
          { Message: notAuthorizedMessage(caller.principal.arn, action, resource, decision) },
          { 'x-amzn-errortype': 'AccessDeniedException' },
        ),
        { action, resource, principal: caller.principal.arn, decision: iamDecision('iam', decision) },
      );
    }
    const query = new URLSearchParams(request.rawQuery);
    const route = `${request.method} /${collection}${id ? '/{id}' : ''}${usage ?? ''}`;
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
        ?.patchOperations;
    } catch {
      return error_(400, 'BadRequestException', 'Invalid JSON');
    }
    if (operations === undefined) operations = [];
    if (!Array.isArray(operations))
      return error_(400, 'BadRequestException', 'patchOperations must be a list');
    const values: boolean[] = [];
    for (const operation of operations as unknown[]) {
      const { op, path, value } = (operation ?? {}) as Record<string, unknown>;
      if (op !== 'replace' || path !== '/enabled' || (value !== 'true' && value !== 'false'))
        return error_(
          400,
          'BadRequestException',
          'Invalid patch operation: the local cloud emulates {"op":"replace","path":"/enabled","value":"true"|"false"}',
        );
      values.push(value === 'true');
    }
    for (const enabled of values) this.usagePlans.setEnabled(id, enabled, this.clock.now().toISOString());
    if (values.length > 0) this.log(`API key ${id} ${key.enabled ? 'enabled' : 'disabled'} (update-api-key)`);
    return jsonReply(200, apiKeyJson(key, false));
  }

  private usage(id: string, query: URLSearchParams): OutgoingResponse {
    const plan = this.usagePlans.plan(id);
    if (!plan) return notFound('Usage Plan');
    const startDate = query.get('startDate') ?? '';
    const endDate = query.get('endDate') ?? '';
    // A real calendar day (2024-02-31 is not one), written as API Gateway takes it.
    const day = (text: string) =>
      /^\d{4}-\d{2}-\d{2}$/.test(text) &&
      !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
      new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
    if (!day(startDate) || !day(endDate) || startDate > endDate)
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
    lastUpdatedDate: epochSeconds(key.lastUpdatedDate ?? key.createdDate),
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
