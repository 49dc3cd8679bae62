import type { GroupPermissions } from '@sigv4-auth/jwt-authorizer';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MissingVerifiedClaimsError } from '../errors';

/**
 * What each staff group of the company's IdP may call (DESIGN.md Part 2): `support` reads, `admin` reads and
 * cancels. The admin authorizer turns it into one API-wide policy per caller (cacheable for every route); anyone
 * in neither group is denied both routes.
 */
export const STAFF_PERMISSIONS = {
  support: ['GET /admin/orders'],
  admin: ['GET /admin/orders', 'DELETE /admin/orders/*'],
} as const satisfies GroupPermissions;

/** A staff member, as the admin authorizer verified their IdP token. */
export interface StaffMember {
  /** Their `sub` at the IdP (the authorizer's principalId). */
  sub: string;
  groups: string[];
}

function parsedGroups(text: unknown): string[] | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const groups: unknown = JSON.parse(text);
    return Array.isArray(groups) && groups.every((group) => typeof group === 'string') ? groups : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The staff member of an `/admin` route: the context the Lambda authorizer returned (`sub`, `groups` as a JSON
 * list in one string), which API Gateway passes on as `requestContext.authorizer`. Never from a header or the
 * body.
 */
export function staffOf(event: APIGatewayProxyEvent): StaffMember {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = context?.sub;
  const groups = parsedGroups(context?.groups);
  if (typeof sub !== 'string' || sub === '' || context?.principalId !== sub || !groups)
    throw new MissingVerifiedClaimsError(
      `${event.httpMethod} ${event.resource} was reached without the admin authorizer's context (sub, groups): the method must use adminAuthorizer`,
    );
  return { sub, groups };
}

type StaffRoute = (typeof STAFF_PERMISSIONS)[keyof typeof STAFF_PERMISSIONS][number];

/** Whether one of the staff member's groups is granted `route` by `STAFF_PERMISSIONS`: the handlers' own check. */
export function mayCall(staff: StaffMember, route: StaffRoute): boolean {
  return Object.entries(STAFF_PERMISSIONS).some(
    ([group, routes]) => staff.groups.includes(group) && (routes as readonly string[]).includes(route),
  );
}
