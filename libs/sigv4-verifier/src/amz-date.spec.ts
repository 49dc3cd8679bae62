import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date';

describe('parseAmzDate', () => {
  it('parses ISO-8601 basic format and formats it back unchanged', () => {
    // Act
    const date = parseAmzDate('20150830T123600Z');

    // Assess
    expect(date?.toISOString()).toBe('2015-08-30T12:36:00.000Z');
    expect(date && formatAmzDate(date)).toBe('20150830T123600Z');
  });

  it.each([
    '2015-08-30T12:36:00Z',
    '20150830T123600',
    '20150830t123600Z',
    '20150230T123600Z',
    '20150830T243600Z',
    '20150830T126000Z',
    '20151330T123600Z',
    '2015083OT123600Z',
    '00990830T123600Z',
    ' 20150830T123600Z',
  ])('refuses %j instead of guessing', (text) => {
    expect(parseAmzDate(text)).toBeUndefined();
  });
});

describe('parseHttpDate', () => {
  it('accepts an IMF-fixdate only', () => {
    expect(parseHttpDate('Sun, 30 Aug 2015 12:36:00 GMT')?.toISOString()).toBe('2015-08-30T12:36:00.000Z');
    expect(parseHttpDate('Sunday, 30-Aug-15 12:36:00 GMT')).toBeUndefined();
    expect(parseHttpDate('2015-08-30T12:36:00Z')).toBeUndefined();
  });
});
