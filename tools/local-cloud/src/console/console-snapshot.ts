import type { MetricStore } from '../cloudwatch';
import type { UserPool } from '../cognito';
import type { CachedAuthorizerAnswer, RestApi, UsagePlanCounters } from '../gateway';

/** What the console reads from the local cloud. */
export interface ConsoleSources {
  accountId: string;
  region: string;
  now(): Date;
  stacks(): Array<{ stackName: string; status: string }>;
  apis(): RestApi[];
  authorizerAnswers(): CachedAuthorizerAnswer[];
  usagePlans(nowMs: number): UsagePlanCounters[];
  userPools(): UserPool[];
  metrics: MetricStore;
}

/** One route of an API: how a request to it is authenticated and authorized. */
export interface ConsoleRoute {
  method: string;
  path: string;
  authorizationType: string;
  /** The authorizer's name and type (COGNITO_USER_POOLS, TOKEN, REQUEST), and its cache TTL for Lambda ones. */
  authorizer: { name: string; type: string; ttlSeconds?: number } | null;
  scopes: string[];
  apiKeyRequired: boolean;
  integration: string;
}

/** One minute of an API stage's AWS/ApiGateway metrics. */
export interface ConsoleMinute {
  time: number;
  count: number;
  errors4xx: number;
  errors5xx: number;
  latencyMs: number | null;
}

export interface ConsoleSnapshot {
  now: string;
  accountId: string;
  region: string;
  stacks: Array<{ stackName: string; status: string }>;
  apis: Array<{ id: string; name: string; stackName: string; stages: string[]; routes: ConsoleRoute[] }>;
  authorizerCache: Array<CachedAuthorizerAnswer & { authorizer: string }>;
  usagePlans: UsagePlanCounters[];
  /** Users with their status and groups: never a password, a code or a token. */
  userPools: Array<{
    id: string;
    name: string;
    clients: Array<{ id: string; name: string }>;
    users: Array<{
      username: string;
      email: string | null;
      status: string;
      enabled: boolean;
      groups: string[];
    }>;
  }>;
  /** The last `METRIC_MINUTES` minutes per API stage (ApiName, Stage), from the metrics CloudWatch's API serves. */
  metrics: Array<{ apiName: string; stage: string; minutes: ConsoleMinute[] }>;
}

const METRIC_MINUTES = 30;
const MAX_USERS_PER_POOL = 200;

function routesOf(api: RestApi): ConsoleRoute[] {
  const routes: ConsoleRoute[] = [];
  for (const resource of api.resources.values())
    for (const method of resource.methods.values()) {
      const authorizer = method.authorizerId ? api.authorizers.get(method.authorizerId) : undefined;
      routes.push({
        method: method.httpMethod,
        path: resource.path,
        authorizationType: method.authorizationType,
        authorizer: authorizer
          ? {
              name: authorizer.name,
              type: authorizer.type,
              ...(authorizer.type === 'COGNITO_USER_POOLS' ? {} : { ttlSeconds: authorizer.ttlSeconds }),
            }
          : null,
        scopes: method.authorizationScopes ?? [],
        apiKeyRequired: method.apiKeyRequired === true,
        integration: method.functionName ? `Lambda ${method.functionName}` : method.mock ? 'MOCK' : '-',
      });
    }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function minutesOf(sources: ConsoleSources, api: RestApi, stage: string, end: Date): ConsoleMinute[] {
  const start = new Date(end.getTime() - METRIC_MINUTES * 60_000);
  const dimensions = [
    { Name: 'ApiName', Value: api.name },
    { Name: 'Stage', Value: stage },
  ];
  const read = (metricName: string) =>
    sources.metrics.statistics({
      accountId: api.accountId,
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensions,
      start,
      end,
      period: 60,
    });
  // Every minute of the window, those without requests as zeros (no latency): the charts keep their time axis.
  const byMinute = new Map<number, ConsoleMinute>();
  for (let time = start.getTime(); time < end.getTime(); time += 60_000)
    byMinute.set(time, { time, count: 0, errors4xx: 0, errors5xx: 0, latencyMs: null });
  const minute = (time: number) =>
    byMinute.get(time) ?? { time, count: 0, errors4xx: 0, errors5xx: 0, latencyMs: null };
  for (const point of read('Count')) minute(point.timestamp.getTime()).count = point.values.Sum;
  for (const point of read('4XXError')) minute(point.timestamp.getTime()).errors4xx = point.values.Sum;
  for (const point of read('5XXError')) minute(point.timestamp.getTime()).errors5xx = point.values.Sum;
  for (const point of read('Latency'))
    minute(point.timestamp.getTime()).latencyMs = Math.round(point.values.Average * 100) / 100;
  return [...byMinute.values()];
}

/**
 * One series per ApiName and Stage, the dimensions AWS/ApiGateway metrics carry: two APIs of one name share a
 * series, in CloudWatch as here (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 */
function metricSeries(sources: ConsoleSources, apis: RestApi[], end: Date): ConsoleSnapshot['metrics'] {
  const series = new Map<string, ConsoleSnapshot['metrics'][number]>();
  for (const api of apis)
    for (const stage of api.stages) {
      const key = JSON.stringify([api.accountId, api.name, stage]);
      if (!series.has(key))
        series.set(key, { apiName: api.name, stage, minutes: minutesOf(sources, api, stage, end) });
    }
  return [...series.values()];
}

/** Everything the console page shows, read now. Secrets (passwords, key values, tokens) are never in it. */
export function consoleSnapshot(sources: ConsoleSources): ConsoleSnapshot {
  const now = sources.now();
  const apis = sources.apis();
  const authorizerName = (apiId: string, authorizerId: string) =>
    apis.find((api) => api.id === apiId)?.authorizers.get(authorizerId)?.name ?? authorizerId;
  // A minute's data point is complete at its end: the chart reaches the minute after now.
  const metricsEnd = new Date(Math.ceil((now.getTime() + 1) / 60_000) * 60_000);
  return {
    now: now.toISOString(),
    accountId: sources.accountId,
    region: sources.region,
    stacks: sources.stacks(),
    apis: apis.map((api) => ({
      id: api.id,
      name: api.name,
      stackName: api.stackName,
      stages: [...api.stages],
      routes: routesOf(api),
    })),
    authorizerCache: sources
      .authorizerAnswers()
      .map((answer) => ({ ...answer, authorizer: authorizerName(answer.apiId, answer.authorizerId) })),
    usagePlans: sources.usagePlans(now.getTime()),
    userPools: sources.userPools().map((pool) => ({
      id: pool.config.id,
      name: pool.config.name,
      clients: pool.config.clients.map((client) => ({ id: client.clientId, name: client.clientName })),
      users: Object.values(pool.data.users)
        .slice(0, MAX_USERS_PER_POOL)
        .map((user) => ({
          username: user.username,
          email: user.attributes.email ?? null,
          status: user.status,
          enabled: user.enabled,
          groups: user.groups,
        })),
    })),
    metrics: metricSeries(sources, apis, metricsEnd),
  };
}
