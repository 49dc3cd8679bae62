export { CloudWatchApi } from './cloudwatch-api';
export {
  MetricStore,
  type Datapoint,
  type Dimension,
  type MetricQuery,
  type Statistic,
} from './metric-store';
