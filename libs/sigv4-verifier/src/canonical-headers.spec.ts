import {
  asciiLowerCase,
  canonicalHeaders,
  canonicalHeaderValue,
  headerText,
  indexHeaders,
} from './canonical-headers';

describe('canonicalHeaders', () => {
  it('looks names up case-insensitively, trims values, collapses inner whitespace and joins repeats with ","', () => {
    // Prepare
    const headers = indexHeaders([
      ['Host', 'example.amazonaws.com'],
      ['My-Header1', '  a   b\tc  '],
      ['MY-HEADER1', 'second'],
      ['My-Header2', '"a   b   c"'],
      ['Folded', 'value1\n  value2\n     value3'],
    ]);

    // Act
    const block = canonicalHeaders(['folded', 'host', 'my-header1', 'my-header2'], headers);

    // Assess
    expect(block).toBe(
      'folded:value1 value2 value3\nhost:example.amazonaws.com\nmy-header1:a b c,second\nmy-header2:"a b c"\n',
    );
  });

  it('does not treat non-HTTP whitespace such as a no-break space as whitespace', () => {
    expect(canonicalHeaderValue(['\u00a0a\u00a0 b'])).toBe('\u00a0a\u00a0 b');
  });

  it('reports a blank header as absent', () => {
    expect(headerText(indexHeaders([['X-Amz-Date', ' \t ']]), 'x-amz-date')).toBeUndefined();
  });
});

describe('asciiLowerCase', () => {
  it('lower-cases ASCII letters only', () => {
    expect(['X-Amz-Date', 'host', '\u212Aey-À'].map(asciiLowerCase)).toEqual([
      'x-amz-date',
      'host',
      '\u212Aey-À',
    ]);
  });
});
