import { checkSessionToken, resolveCredential } from './credential-record';
import { ExpiredTokenError, InvalidClientTokenIdError } from './errors';

const NOW = new Date('2015-08-30T12:36:00Z');
const SESSION = {
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiresAt: new Date('2015-08-30T13:00:00Z'),
};

describe('resolveCredential', () => {
  it('refuses an unknown access key', () => {
    expect(() => resolveCredential(undefined, NOW)).toThrow(
      new InvalidClientTokenIdError('The security token included in the request is invalid.'),
    );
  });

  it('refuses temporary credentials from their expiration on', () => {
    expect(() => resolveCredential({ ...SESSION, expiresAt: NOW }, NOW)).toThrow(
      new ExpiredTokenError('The security token included in the request is expired'),
    );
    expect(resolveCredential(SESSION, NOW)).toBe(SESSION);
  });
});

describe('checkSessionToken', () => {
  it.each([
    ['a session key without its token', SESSION, undefined],
    ['a session key with another token', SESSION, 'tokeN'],
    ['a session key with a longer token', SESSION, 'token2'],
    ['a long-term key with a token', { secretAccessKey: 'secret' }, 'token'],
  ])('refuses %s', (_case, record, provided) => {
    expect(() => checkSessionToken(record, provided)).toThrow(InvalidClientTokenIdError);
  });

  it('accepts the exact token, and no token for a long-term key', () => {
    expect(() => checkSessionToken(SESSION, 'token')).not.toThrow();
    expect(() => checkSessionToken({ secretAccessKey: 'secret' }, undefined)).not.toThrow();
  });
});
