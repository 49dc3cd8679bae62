import { decodedParams, splitQuery } from './query-params';

describe('splitQuery', () => {
  it('keeps keys and values as sent, splitting on the first "="', () => {
    expect(splitQuery('a=b=c&flag&&%41=%2F')).toEqual([
      { rawKey: 'a', rawValue: 'b=c' },
      { rawKey: 'flag', rawValue: '' },
      { rawKey: '%41', rawValue: '%2F' },
    ]);
  });
});

describe('decodedParams', () => {
  it('decodes keys and values, keeps repeats in order and skips other keys', () => {
    // Act
    const params = decodedParams(
      splitQuery('X-Amz-Date=1&X%2DAmz-Date=2&Action=Get&X-Amz-Credential=a%2Fb+c'),
      'X-Amz-',
    );

    // Assess
    expect(Object.fromEntries(params)).toEqual({ 'X-Amz-Date': ['1', '2'], 'X-Amz-Credential': ['a/b+c'] });
  });
});
