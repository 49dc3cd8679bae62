import type { ApiMethod, ApiResource, RestApi } from './types';

export interface RouteMatch {
  resource: ApiResource;
  method: ApiMethod;
  pathParameters: Record<string, string> | null;
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

/**
 * Path parameter values are passed as sent (`%2F`, `%20` stay escaped), as API Gateway's REST APIs do: captures
 * from AWS show `"proxy": "capture/space%20value"` and `"pathParameters": {"ID": "my-id%2F100"}`
 * (github.com/aws/aws-sam-cli/issues/3524, issues/771; localstack's AWS-recorded snapshot
 * tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json). AWS's "known issues" page says REST APIs
 * "decode URL-encoded request parameters before passing them to backend integrations": that disagrees with
 * the captures for proxy integrations, and we follow the captures.
 *
 * Matches a request path against an API's resources as API Gateway does: a literal segment beats
 * `{param}`, which beats a greedy `{proxy+}` (which must be last and matches one or more segments).
 * Returns undefined when no resource matches (API Gateway then answers 403 Missing Authentication Token).
 */
export function matchRoute(
  api: RestApi,
  path: string,
  httpMethod: string,
): RouteMatch | undefined | 'method-not-allowed' {
  const requestSegments = segmentsOf(path);
  let best: { resource: ApiResource; params: Record<string, string>; score: number[] } | undefined;
  for (const resource of api.resources.values()) {
    const resourceSegments = segmentsOf(resource.path);
    const params: Record<string, string> = {};
    const score: number[] = [];
    let matched = true;
    for (let i = 0; i < resourceSegments.length; i += 1) {
      const pattern = resourceSegments[i] as string;
      const greedy = /^\{(.+)\+\}$/.exec(pattern);
      if (greedy) {
        const rest = requestSegments.slice(i);
        if (i !== resourceSegments.length - 1 || rest.length === 0) matched = false;
        else params[greedy[1] as string] = rest.join('/');
        score.push(0);
        break;
      }
      const actual = requestSegments[i];
      if (actual === undefined) {
        matched = false;
        break;
      }
      const param = /^\{(.+)\}$/.exec(pattern);
      if (param) {
        params[param[1] as string] = actual;
        score.push(1);
      } else if (pattern === actual) score.push(2);
      else {
        matched = false;
        break;
      }
    }
    const greedyLast = /\+\}$/.test(resourceSegments.at(-1) ?? '');
    if (!matched || (!greedyLast && resourceSegments.length !== requestSegments.length)) continue;
    if (!best || compareScores(score, best.score) > 0) best = { resource, params, score };
  }
  if (!best) return undefined;
  const method = best.resource.methods.get(httpMethod) ?? best.resource.methods.get('ANY');
  if (!method) return 'method-not-allowed';
  return {
    resource: best.resource,
    method,
    pathParameters: Object.keys(best.params).length > 0 ? best.params : null,
  };
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}
