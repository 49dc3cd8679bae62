import { canonicalQuery } from './canonical-query';
import { splitQuery } from './query-params';

const NONE = new Set<string>();

describe('canonicalQuery', () => {
  it('sorts by encoded key, then by value for repeated keys', () => {
    // Act
    const canonical = canonicalQuery(splitQuery('b=2&a=2&a=10&%E1%88%B4=x&A=1'), NONE);

    // Assess
    expect(canonical).toBe('%E1%88%B4=x&A=1&a=10&a=2&b=2');
  });

  it('decodes then re-encodes keys and values with the unreserved set', () => {
    // Act
    const canonical = canonicalQuery(splitQuery('q=a+b%20c&s=%2f&t=*~!()&u=%7e&v=ሴ'), NONE);

    // Assess
    expect(canonical).toBe('q=a%2Bb%20c&s=%2F&t=%2A~%21%28%29&u=~&v=%E1%88%B4');
  });

  it('gives a key without "=" an empty value and drops empty parts', () => {
    expect(canonicalQuery(splitQuery('&flag&x=&&'), NONE)).toBe('flag=&x=');
  });

  it('leaves out excluded keys, whichever way they were spelled on the wire', () => {
    // Act
    const canonical = canonicalQuery(
      splitQuery('X-Amz-Signature=abc&X%2DAmz-Signature=def&X-Amz-Date=1'),
      new Set(['X-Amz-Signature']),
    );

    // Assess
    expect(canonical).toBe('X-Amz-Date=1');
  });
});
