import { MESSAGE, SCOPE_TERMINATOR } from './constants';
import type { ParsedCredential } from './credential';
import { InvalidCredentialScopeError } from './errors';

/**
 * Refuses a credential scoped to another region, service, terminator or day than the request's; AWS reports
 * every mismatch at once, in this order (architect/dynalite index.js).
 */
export function checkCredentialScope(
  credential: ParsedCredential,
  requestDateTime: string,
  expected: { region: string; service: string },
): void {
  let message = '';
  if (credential.region !== expected.region) message += MESSAGE.wrongRegion(credential.region);
  if (credential.service !== expected.service) message += MESSAGE.wrongService(expected.service);
  if (credential.terminator !== SCOPE_TERMINATOR) message += MESSAGE.wrongTerminator(credential.terminator);
  const requestDay = requestDateTime.slice(0, 8);
  if (credential.date !== requestDay)
    message += MESSAGE.wrongDate(credential.date, requestDay, requestDateTime);
  if (message !== '') throw new InvalidCredentialScopeError(message);
}
