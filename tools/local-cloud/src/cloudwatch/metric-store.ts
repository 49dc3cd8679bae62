/**
 * The metrics the local cloud's services publish, as CloudWatch keeps them: one series per namespace, metric name
 * and exact set of dimensions, aggregated per minute (API Gateway and Cognito send one-minute data,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html). Each
 * series keeps its last day; the store keeps at most 10,000 series (new ones past that are dropped, once logged).
 */
export interface Dimension {
  Name: string;
  Value: string;
}

export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
export const STATISTICS: readonly Statistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
}

interface Series {
  /** The account that published it: CloudWatch's data is per account. */
  accountId: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  unit: string;
  /** Minute (epoch ms of its start) -> its aggregate. */
  minutes: Map<number, Aggregate>;
}

export interface MetricQuery {
  accountId: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  start: Date;
  end: Date;
  /** Seconds, a multiple of 60. */
  period: number;
}

export interface Datapoint {
  timestamp: Date;
  unit: string;
  values: Record<Statistic, number>;
}

const MINUTE_MS = 60_000;
const KEEP_MINUTES = 24 * 60;
const MAX_SERIES = 10_000;

const byName = (a: Dimension, b: Dimension) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);
const isSorted = (dimensions: Dimension[]) =>
  dimensions.every(
    (dimension, index) => index === 0 || byName(dimensions[index - 1] as Dimension, dimension) < 0,
  );
const sorted = (dimensions: Dimension[]) =>
  isSorted(dimensions) ? dimensions : [...dimensions].sort(byName);
/** Names and values joined with NUL, which neither may contain (a JSON key cost 3x as much per request). */
function seriesKey(
  accountId: string,
  namespace: string,
  metricName: string,
  dimensions: Dimension[],
): string {
  let key = `${accountId}\0${namespace}\0${metricName}`;
  for (const dimension of sorted(dimensions)) key += `\0${dimension.Name}\0${dimension.Value}`;
  return key;
}

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private warned = false;

  public constructor(
    /** The cloud's clock, in ms: what "the last day" is measured against. */
    private readonly nowMs: () => number,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** One value (a count of 1 or 0, a latency in ms) at `at`, under each dimension set given. */
  public put(
    accountId: string,
    namespace: string,
    metricName: string,
    dimensionSets: Dimension[][],
    value: number,
    unit: string,
    at: Date,
  ): void {
    const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
    for (const dimensions of dimensionSets) {
      const key = seriesKey(accountId, namespace, metricName, dimensions);
      let series = this.series.get(key);
      if (!series) {
        if (this.series.size >= MAX_SERIES) {
          if (!this.warned) this.log(`metrics: ${MAX_SERIES} series kept, new ones are not recorded`);
          this.warned = true;
          continue;
        }
        series = {
          accountId,
          namespace,
          metricName,
          dimensions: [...sorted(dimensions)],
          unit,
          minutes: new Map(),
        };
        this.series.set(key, series);
      }
      const aggregate = series.minutes.get(minute);
      if (aggregate) {
        aggregate.count += 1;
        aggregate.sum += value;
        aggregate.min = Math.min(aggregate.min, value);
        aggregate.max = Math.max(aggregate.max, value);
      } else {
        series.minutes.set(minute, { count: 1, sum: value, min: value, max: value });
        this.trim(series);
      }
    }
  }

  /**
   * The datapoints of the series with exactly these dimensions (CloudWatch does not aggregate across dimension
   * sets), one per `period` that has data in [start, end), periods aligned to `start`, oldest first.
   */
  public statistics(query: MetricQuery): Datapoint[] {
    const series = this.series.get(
      seriesKey(query.accountId, query.namespace, query.metricName, query.dimensions),
    );
    if (!series) return [];
    this.trim(series);
    const periodMs = query.period * 1000;
    // Rounded down to the minute, as CloudWatch rounds a start time of the last 15 days (GetMetricStatistics).
    const startMs = Math.floor(query.start.getTime() / MINUTE_MS) * MINUTE_MS;
    const buckets = new Map<number, Aggregate>();
    for (const [minute, aggregate] of series.minutes) {
      if (minute < startMs || minute >= query.end.getTime()) continue;
      const bucket = startMs + Math.floor((minute - startMs) / periodMs) * periodMs;
      const into = buckets.get(bucket);
      if (!into) buckets.set(bucket, { ...aggregate });
      else {
        into.count += aggregate.count;
        into.sum += aggregate.sum;
        into.min = Math.min(into.min, aggregate.min);
        into.max = Math.max(into.max, aggregate.max);
      }
    }
    return [...buckets]
      .sort(([a], [b]) => a - b)
      .map(([bucket, { count, sum, min, max }]) => ({
        timestamp: new Date(bucket),
        unit: series.unit,
        values: { SampleCount: count, Sum: sum, Average: sum / count, Minimum: min, Maximum: max },
      }));
  }

  /** The series matching the filter (`ListMetrics`): a dimension without a value matches any value. */
  public list(filter: {
    accountId: string;
    namespace?: string;
    metricName?: string;
    dimensions?: Array<{ Name: string; Value?: string }>;
  }): Array<{ Namespace: string; MetricName: string; Dimensions: Dimension[] }> {
    const found: Array<{ Namespace: string; MetricName: string; Dimensions: Dimension[] }> = [];
    for (const [key, series] of this.series) {
      this.trim(series);
      if (series.minutes.size === 0) {
        this.series.delete(key);
        continue;
      }
      if (series.accountId !== filter.accountId) continue;
      if (filter.namespace !== undefined && series.namespace !== filter.namespace) continue;
      if (filter.metricName !== undefined && series.metricName !== filter.metricName) continue;
      const wanted = filter.dimensions ?? [];
      if (
        !wanted.every((want) =>
          series.dimensions.some(
            (d) => d.Name === want.Name && (want.Value === undefined || d.Value === want.Value),
          ),
        )
      )
        continue;
      found.push({
        Namespace: series.namespace,
        MetricName: series.metricName,
        Dimensions: series.dimensions,
      });
    }
    return found;
  }

  /** Drops the minutes older than a day on the cloud's clock (minutes may arrive out of order: slow requests). */
  private trim(series: Series): void {
    const oldest = this.nowMs() - KEEP_MINUTES * MINUTE_MS;
    for (const minute of series.minutes.keys()) if (minute < oldest) series.minutes.delete(minute);
  }
}
