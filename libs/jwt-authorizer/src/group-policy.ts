/** A route as API Gateway names it in a method ARN: `GET /admin/orders`, `DELETE /admin/orders/*`. */
export type Route = `${string} /${string}`;

/** What each group may call. A route listed for any group is protected: everyone else is denied it. */
export type GroupPermissions = Record<string, readonly Route[]>;

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: 'execute-api:Invoke';
  Resource: string[];
}

export interface AuthorizerPolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const METHOD_ARN = /^(arn:aws[\w-]*:execute-api:[a-z0-9-]+:\d{12}:[a-z0-9]+\/[^/]+)\/[A-Z*]+(?:\/.*)?$/;

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}` of a method ARN: the part every route of the API and
 * stage shares. Undefined for anything that is not a method ARN.
 */
export function apiStageArn(methodArn: string): string | undefined {
  return METHOD_ARN.exec(methodArn)?.[1];
}

const ROUTE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|\*) (\/[\w\-./*{}]*)$/;

function resourceOf(apiArn: string, route: Route): string {
  const match = ROUTE.exec(route);
  if (!match) throw new TypeError(`${route} is not a route ("GET /admin/orders", "DELETE /admin/orders/*")`);
  const [, method, path] = match as unknown as [string, string, string];
  return `${apiArn}/${method}${path}`;
}

/**
 * The policy for a caller in `groups`, the same for every route of the API (so API Gateway may cache it for any
 * route: its cache is keyed by the token, and the cached policy is evaluated again for each method ARN):
 * Allow every route one of the caller's groups may call; an explicit Deny for every other protected route.
 * A caller in no group gets only the Deny.
 *
 * @example
 * policyForGroups('arn:aws:execute-api:us-east-1:123456789012:abc123/prod', ['support'], {
 *   support: ['GET /admin/orders', 'GET /admin/orders/*'],
 *   admin: ['GET /admin/orders', 'GET /admin/orders/*', 'DELETE /admin/orders/*'],
 * });
 * // Allow GET .../admin/orders and GET .../admin/orders/*; Deny DELETE .../admin/orders/*
 */
export function policyForGroups(
  apiArn: string,
  groups: readonly string[],
  permissions: GroupPermissions,
): AuthorizerPolicy {
  const granted = new Set<Route>();
  const protectedRoutes = new Set<Route>();
  for (const [group, routes] of Object.entries(permissions)) {
    for (const route of routes) {
      protectedRoutes.add(route);
      if (groups.includes(group)) granted.add(route);
    }
  }
  const denied = [...protectedRoutes].filter((route) => !granted.has(route));
  const statements: PolicyStatement[] = [];
  if (granted.size > 0)
    statements.push({
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: [...granted].map((route) => resourceOf(apiArn, route)),
    });
  if (denied.length > 0)
    statements.push({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      Resource: denied.map((route) => resourceOf(apiArn, route)),
    });
  return { Version: '2012-10-17', Statement: statements };
}
