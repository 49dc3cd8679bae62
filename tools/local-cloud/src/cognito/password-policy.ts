import { randomInt } from 'node:crypto';
import { CognitoError } from './errors';
import type { PasswordPolicy } from './user-pools';

/** Cognito's symbol set for RequireSymbols (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html). */
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

/**
 * Refuses a password the pool's policy does not allow, with Cognito's InvalidPasswordException wording
 * ("Password did not conform with policy: Password not long enough", research notes B3). At most 256
 * characters (the API's limit on Password).
 */
export function checkPassword(policy: PasswordPolicy, password: string): void {
  const refuse = (reason: string) =>
    new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
  if ([...password].length < policy.minimumLength) throw refuse('Password not long enough');
  if (password.length > 256) throw refuse('Password must have length less than or equal to 256');
  if (policy.requireLowercase && !/[a-z]/.test(password))
    throw refuse('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password))
    throw refuse('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) throw refuse('Password must have numeric characters');
  if (policy.requireSymbols && ![...password].some((char) => SYMBOLS.includes(char)))
    throw refuse('Password must have symbol characters');
}

/** A temporary password that satisfies the policy (AdminCreateUser without TemporaryPassword). */
export function temporaryPassword(policy: PasswordPolicy): string {
  const pick = (chars: string) => chars[randomInt(chars.length)] as string;
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const chars = [pick(lower), pick(upper), pick(digits), pick('!#%&*+-=?@')];
  while (chars.length < Math.max(policy.minimumLength, 12)) chars.push(pick(lower + upper + digits));
  for (let index = chars.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    [chars[index], chars[other]] = [chars[other] as string, chars[index] as string];
  }
  return chars.join('');
}
