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

/**
 * The staff member of an `/admin` route: the context the Lambda authorizer returned (`sub`, `groups` as one
 * comma-separated string), which API Gateway passes on as `requestContext.authorizer`. Never from a header or
 * the body.
 */
export function staffOf(event: APIGatewayProxyEvent): StaffMember {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = context?.sub;
  if (
    typeof sub !== 'string' ||
    sub === '' ||
    context?.principalId !== sub ||
    typeof context.groups !== 'string'
  )
    throw new MissingVerifiedClaimsError(
      `${event.httpMethod} ${event.resource} was reached without the admin authorizer's context (sub, groups): the method must use adminAuthorizer`,
    );
  return { sub, groups: context.groups.split(',').filter(Boolean) };
}
