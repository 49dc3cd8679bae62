import { CognitoError, invalidParameter } from '../errors';
import type { AppClient, UserPool } from '../user-pools';

/** Cognito's standard attributes (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html). */
export const STANDARD_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
];
/** Only the Admin API may set these: a client that could would verify an email it does not own. */
const VERIFIED_FLAGS = ['email_verified', 'phone_number_verified'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const unauthorizedWrite = () =>
  new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');

/**
 * Refuses attributes the writer may not set: `sub` and `cognito:*` never; the `*_verified` flags only through the
 * Admin API; a custom attribute only if the pool's Schema declares it; any other name is not an attribute; and a
 * client with WriteAttributes writes only those.
 */
export function checkWritable(
  pool: UserPool,
  attributes: Record<string, string>,
  writer: { client: AppClient } | 'admin',
): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub' || name.startsWith('cognito:'))
      throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    if (VERIFIED_FLAGS.includes(name)) {
      if (writer !== 'admin') throw unauthorizedWrite();
      if (value !== 'true' && value !== 'false') throw invalidParameter(`${name} must be true or false`);
      continue;
    }
    const known = STANDARD_ATTRIBUTES.includes(name) || pool.config.customAttributes.includes(name);
    if (!known)
      throw invalidParameter(
        `Attributes did not conform to the schema: Type for attribute {${name.slice(0, 64)}} could not be determined`,
      );
    if (writer !== 'admin' && writer.client.writeAttributes && !writer.client.writeAttributes.includes(name))
      throw unauthorizedWrite();
    if (name === 'email' && !EMAIL.test(value)) throw invalidParameter('Invalid email address format.');
  }
}

/** The attributes the pool's Schema requires (SignUp, AdminCreateUser). */
export function checkRequired(pool: UserPool, attributes: Record<string, string>): void {
  for (const name of pool.config.requiredAttributes)
    if (!attributes[name])
      throw invalidParameter(`Attributes did not conform to the schema: ${name}: The attribute is required`);
}

/** What a client may read of a user's attributes (its ReadAttributes; all when it sets none). */
export function readableBy(
  client: AppClient | undefined,
  attributes: Record<string, string>,
): Record<string, string> {
  const allowed = client?.readAttributes;
  if (!allowed) return attributes;
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => allowed.includes(name)));
}
