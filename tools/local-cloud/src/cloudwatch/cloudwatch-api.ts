import { Encoder } from 'cbor-x';
import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import type { IncomingRequest, OutgoingResponse } from '../http/incoming-request';
import { jsonProtocolError } from '../http/sigv4-wire-errors';
import { accessDeniedMessage, authorize } from '../iam';
import { explained } from '../http/incoming-request';
import { iamDecision, loggableMessage, refusedBy } from '../requests';
import { STATISTICS, type Datapoint, type Dimension, type MetricStore, type Statistic } from './metric-store';

const SERVICE = 'GraniteServiceVersion20100801';
/** Smithy RPC v2 CBOR: `POST /service/{service}/operation/{operation}` (what botocore 1.43 sends). */
const CBOR_PATH = /^\/service\/GraniteServiceVersion20100801\/operation\/([A-Za-z]{1,64})$/;
/** Plain CBOR maps and arrays, timestamps as tag 1 (what the Smithy RPC v2 CBOR protocol specifies). */
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });

class CloudWatchError extends Error {
  public constructor(
    /** The AWS Query code too (the service is `awsQueryCompatible`: clients read `x-amzn-query-error`). */
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;
type Protocol = 'json' | 'cbor';

function timestamp(value: unknown, name: string): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number'
        ? new Date(value * 1000)
        : typeof value === 'string'
          ? new Date(value)
          : undefined;
  if (value === undefined)
    throw new CloudWatchError('MissingParameter', `The parameter ${name} is required.`);
  if (!date || Number.isNaN(date.getTime()))
    throw new CloudWatchError('InvalidParameterValue', `The parameter ${name} is not a timestamp.`);
  return date;
}

function dimensionsOf(value: unknown): Dimension[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 30)
    throw new CloudWatchError(
      'InvalidParameterValue',
      'Dimensions must be a list of at most 30 Name/Value pairs.',
    );
  return value.map((dimension: { Name?: unknown; Value?: unknown }) => {
    if (
      typeof dimension?.Name !== 'string' ||
      typeof dimension.Value !== 'string' ||
      /\0/.test(dimension.Name + dimension.Value)
    )
      throw new CloudWatchError('InvalidParameterValue', 'Each dimension needs a Name and a Value.');
    return { Name: dimension.Name, Value: dimension.Value };
  });
}

/** ListMetrics' dimension filters: a Name, and a Value or none (any value). */
function listFilterOf(value: unknown): Array<{ Name: string; Value?: string }> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 10)
    throw new CloudWatchError('InvalidParameterValue', 'Dimensions must be a list of at most 10 filters.');
  return value.map((filter: unknown) => {
    const { Name, Value } = (filter ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || (Value !== undefined && typeof Value !== 'string'))
      throw new CloudWatchError(
        'InvalidParameterValue',
        'Each dimension filter needs a Name (and may have a Value).',
      );
    return Value === undefined ? { Name } : { Name, Value };
  });
}

function periodOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 60 || value % 60 !== 0)
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The parameter Period must be a multiple of 60 (the local cloud keeps one-minute data).',
    );
  return value;
}

function window(input: Input): { start: Date; end: Date } {
  const start = timestamp(input.StartTime, 'StartTime');
  const end = timestamp(input.EndTime, 'EndTime');
  if (start.getTime() >= end.getTime())
    throw new CloudWatchError(
      'InvalidParameterValue',
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  return { start, end };
}

/**
 * CloudWatch's read API over the local cloud's metrics: GetMetricStatistics, GetMetricData (metric queries; metric
 * math is refused) and ListMetrics, in the two protocols real clients send: AWS JSON 1.0 (the SDK for JavaScript
 * v3) and Smithy RPC v2 CBOR (botocore >= 1.40: the AWS CLI and boto3). Signed, and authorized as
 * `cloudwatch:<Operation>` on `*`, like every call to the local cloud.
 */
export class CloudWatchApi {
  public constructor(
    private readonly metrics: MetricStore,
    private readonly authenticator: Authenticator,
    private readonly clock: Clock,
  ) {}

  public static handles(request: IncomingRequest): boolean {
    return (
      CBOR_PATH.test(request.rawPath) || (request.headers['x-amz-target'] ?? '').startsWith(`${SERVICE}.`)
    );
  }

  public async handle(request: IncomingRequest): Promise<OutgoingResponse> {
    const cborMatch = CBOR_PATH.exec(request.rawPath);
    const protocol: Protocol = cborMatch ? 'cbor' : 'json';
    const operation = cborMatch?.[1] ?? (request.headers['x-amz-target'] ?? '').slice(SERVICE.length + 1);
    const authentication = this.authenticator.authenticate(request, 'monitoring');
    if (!authentication.ok) {
      const wire = jsonProtocolError(authentication.error);
      const message = loggableMessage(authentication.error.message);
      return explained(this.error(protocol, new CloudWatchError(wire.code, message, wire.status)), {
        action: `cloudwatch:${operation.slice(0, 64)}`,
        resource: null,
        principal: null,
        decision: refusedBy('sigv4', `${authentication.error.code}: ${message}`),
      });
    }
    const { caller } = authentication;
    const action = `cloudwatch:${operation}`;
    const decision = authorize({
      principal: caller.principal,
      action,
      resource: '*',
      resourceAccountId: caller.principal.accountId,
      identityPolicies: caller.identityPolicies,
      sessionPolicies: caller.sessionPolicies,
      now: this.clock.now(),
      context: { 'aws:SourceIp': request.sourceIp },
    });
    if (!decision.allowed)
      return explained(
        this.error(
          protocol,
          new CloudWatchError(
            'AccessDenied',
            accessDeniedMessage(caller.principal.arn, action, '*', decision),
            403,
          ),
        ),
        { action, resource: '*', principal: caller.principal.arn, decision: iamDecision('iam', decision) },
      );
    try {
      const input = this.parse(protocol, request.body);
      const output = this.run(operation, input, caller.principal.accountId);
      return protocol === 'cbor'
        ? {
            status: 200,
            headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
            body: cbor.encode(output),
          }
        : {
            status: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            // AWS JSON 1.0 timestamps: epoch seconds (the replacer sees a Date already as its ISO text).
            body: JSON.stringify(
              output,
              function epochSeconds(this: Record<string, unknown>, key, value: unknown) {
                const raw = this[key];
                return raw instanceof Date ? raw.getTime() / 1000 : value;
              },
            ),
          };
    } catch (error) {
      if (error instanceof CloudWatchError)
        return explained(this.error(protocol, error), {
          action,
          resource: null,
          principal: caller.principal.arn,
          decision: refusedBy('validation', `${error.code}: ${error.message}`),
        });
      throw error;
    }
  }

  private parse(protocol: Protocol, body: Buffer): Input {
    if (body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = protocol === 'cbor' ? cbor.decode(body) : JSON.parse(body.toString('utf8'));
    } catch {
      throw new CloudWatchError(
        'SerializationException',
        `The request body is not ${protocol === 'cbor' ? 'CBOR' : 'JSON'}.`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new CloudWatchError('SerializationException', 'The request body must be an object.');
    return parsed as Input;
  }

  /** `accountId`: the caller's; each account sees its own metrics only, as on CloudWatch. */
  private run(operation: string, input: Input, accountId: string): Record<string, unknown> {
    switch (operation) {
      case 'GetMetricStatistics':
        return this.getMetricStatistics(input, accountId);
      case 'GetMetricData':
        return this.getMetricData(input, accountId);
      case 'ListMetrics':
        return {
          Metrics: this.metrics.list({
            accountId,
            namespace: typeof input.Namespace === 'string' ? input.Namespace : undefined,
            metricName: typeof input.MetricName === 'string' ? input.MetricName : undefined,
            dimensions: listFilterOf(input.Dimensions),
          }),
        };
      default:
        throw new CloudWatchError(
          'UnknownOperation',
          `The local cloud answers CloudWatch's GetMetricStatistics, GetMetricData and ListMetrics, not ${operation.slice(0, 64)}`,
        );
    }
  }

  private getMetricStatistics(input: Input, accountId: string): Record<string, unknown> {
    if (typeof input.Namespace !== 'string' || typeof input.MetricName !== 'string')
      throw new CloudWatchError('MissingParameter', 'The parameters Namespace and MetricName are required.');
    if (input.ExtendedStatistics !== undefined)
      throw new CloudWatchError(
        'InvalidParameterValue',
        'ExtendedStatistics (percentiles) are not kept by the local cloud.',
      );
    const statistics = input.Statistics;
    if (
      !Array.isArray(statistics) ||
      statistics.length === 0 ||
      !statistics.every((s) => STATISTICS.includes(s as Statistic))
    )
      throw new CloudWatchError(
        'InvalidParameterValue',
        `Statistics must be some of ${STATISTICS.join(', ')}.`,
      );
    const datapoints = this.metrics.statistics({
      accountId,
      namespace: input.Namespace,
      metricName: input.MetricName,
      dimensions: dimensionsOf(input.Dimensions),
      ...window(input),
      period: periodOf(input.Period),
    });
    return {
      Label: input.MetricName,
      Datapoints: datapoints.map((point) => ({
        Timestamp: point.timestamp,
        Unit: point.unit,
        ...Object.fromEntries((statistics as Statistic[]).map((s) => [s, point.values[s]])),
      })),
    };
  }

  private getMetricData(input: Input, accountId: string): Record<string, unknown> {
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length === 0 || queries.length > 500)
      throw new CloudWatchError('InvalidParameterValue', 'MetricDataQueries must hold 1 to 500 queries.');
    const range = window(input);
    const newestFirst = input.ScanBy !== 'TimestampAscending';
    const ids = new Set<string>();
    const results = (queries as unknown[]).map((entry) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
        throw new CloudWatchError('InvalidParameterValue', 'Each of MetricDataQueries must be an object.');
      const query = entry as Input;
      if (typeof query.Id !== 'string' || !/^[a-z][A-Za-z0-9_]{0,254}$/.test(query.Id))
        throw new CloudWatchError(
          'InvalidParameterValue',
          'Each query needs an Id: a lowercase letter, then letters, digits or _.',
        );
      if (ids.has(query.Id))
        throw new CloudWatchError('InvalidParameterValue', `The Id ${query.Id} is used twice.`);
      ids.add(query.Id);
      if (query.Expression !== undefined)
        throw new CloudWatchError(
          'InvalidParameterValue',
          `Query ${query.Id}: metric math expressions are not evaluated by the local cloud; query the metrics and compute it yourself.`,
        );
      const stat = query.MetricStat as Input | undefined;
      const metric = stat?.Metric as Input | undefined;
      if (!stat || !metric || typeof metric.Namespace !== 'string' || typeof metric.MetricName !== 'string')
        throw new CloudWatchError(
          'MissingParameter',
          `Query ${query.Id} needs MetricStat.Metric.Namespace and MetricName.`,
        );
      if (!STATISTICS.includes(stat.Stat as Statistic))
        throw new CloudWatchError(
          'InvalidParameterValue',
          `Query ${query.Id}: Stat must be one of ${STATISTICS.join(', ')}.`,
        );
      const points: Datapoint[] = this.metrics.statistics({
        accountId,
        namespace: metric.Namespace,
        metricName: metric.MetricName,
        dimensions: dimensionsOf(metric.Dimensions),
        ...range,
        period: periodOf(stat.Period),
      });
      if (newestFirst) points.reverse();
      return {
        query,
        result: {
          Id: query.Id,
          Label: typeof query.Label === 'string' ? query.Label : metric.MetricName,
          Timestamps: points.map((point) => point.timestamp),
          Values: points.map((point) => point.values[stat.Stat as Statistic]),
          StatusCode: 'Complete',
        },
      };
    });
    return {
      MetricDataResults: results
        .filter(({ query }) => query.ReturnData !== false)
        .map(({ result }) => result),
      Messages: [],
    };
  }

  private error(protocol: Protocol, error: CloudWatchError): OutgoingResponse {
    // The model's shape names (MissingParameter's is MissingRequiredParameterException); the Query code beside it.
    const type =
      error.code === 'MissingParameter'
        ? 'MissingRequiredParameterException'
        : error.code.endsWith('Exception')
          ? error.code
          : `${error.code}Exception`;
    const body = { __type: type, message: error.message };
    const headers = { 'x-amzn-query-error': `${error.code};Sender` };
    return protocol === 'cbor'
      ? {
          status: error.status,
          headers: { ...headers, 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
          body: cbor.encode(body),
        }
      : {
          status: error.status,
          headers: { ...headers, 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
          body: JSON.stringify(body),
        };
  }
}
