import { MESSAGE } from './constants';
import { constantTimeEquals } from './crypto';
import { ExpiredTokenError, InvalidClientTokenIdError } from './errors';
import type { CredentialRecord } from './types';

/** The record behind an access key, refusing unknown keys and expired temporary credentials. */
export function resolveCredential(record: CredentialRecord | undefined, now: Date): CredentialRecord {
  if (!record) throw new InvalidClientTokenIdError(MESSAGE.invalidToken);
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) {
    throw new ExpiredTokenError(MESSAGE.expiredToken);
  }
  return record;
}

/**
 * Temporary credentials need exactly the token issued with them; long-term keys take none. Checked even when
 * the token is not signed: a key without its token must not work.
 */
export function checkSessionToken(record: CredentialRecord, provided: string | undefined): void {
  const matches =
    record.sessionToken === undefined
      ? provided === undefined
      : provided !== undefined && constantTimeEquals(record.sessionToken, provided);
  if (!matches) throw new InvalidClientTokenIdError(MESSAGE.invalidToken);
}
