import { parseAmzDate } from './amz-date';
import { IncompleteSignatureError, SignatureExpiredError } from './errors';
import { checkRequestTime, parseExpires, readRequestTime } from './request-time';

const SIGNED = readRequestTime('20150830T123600Z', false);
const FIVE_MINUTES = 5 * 60_000;
const at = (text: string) => parseAmzDate(text) as Date;

describe('checkRequestTime', () => {
  it.each(['20150830T123200Z', '20150830T124000Z', '20150830T123600Z'])(
    'accepts a request 4 minutes either side of the server clock (%s)',
    (now) => {
      expect(() => checkRequestTime(SIGNED, undefined, at(now), FIVE_MINUTES)).not.toThrow();
    },
  );

  it('refuses a request signed 6 minutes ago with "Signature expired"', () => {
    expect(() => checkRequestTime(SIGNED, undefined, at('20150830T124200Z'), FIVE_MINUTES)).toThrow(
      new SignatureExpiredError(
        'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)',
      ),
    );
  });

  it('words the limit as API Gateway does', () => {
    expect(() => checkRequestTime(SIGNED, undefined, at('20150830T124600Z'), FIVE_MINUTES)).toThrow(
      'Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)',
    );
  });

  it('refuses a request signed 6 minutes in the future with "Signature not yet current"', () => {
    expect(() => checkRequestTime(SIGNED, undefined, at('20150830T123000Z'), FIVE_MINUTES)).toThrow(
      new SignatureExpiredError(
        'Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T123000Z + 5 min.)',
      ),
    );
  });

  it('reports a configured skew in its messages', () => {
    expect(() => checkRequestTime(SIGNED, undefined, at('20150830T125200Z'), 15 * 60_000)).toThrow(
      '(20150830T125200Z - 15 min.)',
    );
  });

  it('lets a presigned URL live for X-Amz-Expires seconds, beyond the skew, and not one second more', () => {
    // Act
    const withinLifetime = () => checkRequestTime(SIGNED, '3600', at('20150830T133600Z'), FIVE_MINUTES);
    const pastLifetime = () => checkRequestTime(SIGNED, '3600', at('20150830T133601Z'), FIVE_MINUTES);

    // Assess
    expect(withinLifetime).not.toThrow();
    expect(pastLifetime).toThrow(new SignatureExpiredError('Request has expired'));
  });

  it('refuses a presigned URL signed further in the future than the skew', () => {
    expect(() => checkRequestTime(SIGNED, '3600', at('20150830T123000Z'), FIVE_MINUTES)).toThrow(
      /^Signature not yet current/,
    );
  });

  it('treats a presigned URL valid for 0 seconds as expired', () => {
    expect(() => checkRequestTime(SIGNED, '0', at('20150830T123600Z'), FIVE_MINUTES)).toThrow(
      'Request has expired',
    );
  });
});

describe('parseExpires', () => {
  it.each([
    ['3600', 3600],
    ['604800', 604800],
  ])('reads %s', (text, seconds) => {
    expect(parseExpires(text)).toBe(seconds);
  });

  it.each([
    [
      '604801',
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    ],
    ['-1', 'X-Amz-Expires must be non-negative'],
    ['1h', 'X-Amz-Expires should be a number'],
    ['', 'X-Amz-Expires should be a number'],
  ])("refuses %j with S3's text", (text, message) => {
    expect(() => parseExpires(text)).toThrow(new IncompleteSignatureError(message));
  });
});

describe('readRequestTime', () => {
  it('accepts an HTTP date from the Date header only', () => {
    expect(readRequestTime('Sun, 30 Aug 2015 12:36:00 GMT', true).requestDateTime).toBe('20150830T123600Z');
    expect(() => readRequestTime('Sun, 30 Aug 2015 12:36:00 GMT', false)).toThrow(
      "Date must be in ISO-8601 'basic format'. Got 'Sun, 30 Aug 2015 12:36:00 GMT'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });
});
