import {
  asciiLowerCase,
  canonicalHeaders,
  canonicalHeaderValue,
  headerText,
  indexHeaders,
} from './canonical-headers';
import { everyString } from './testing/every-string';

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

describe('canonicalHeaderValue: the fast path for values already canonical', () => {
  // The general form: collapse every run of whitespace to one space, then trim one space at each end.
  const reference = (value: string) =>
    value
      .replace(/[ \t\r\n]+/g, ' ')
      .replace(/^ /, '')
      .replace(/ $/, '');

  it('answers every value of up to 6 characters of "a \\t\\r\\n," exactly as collapsing and trimming does', () => {
    // Prepare: every string over the alphabet, lengths 0 to 6 (56,000 values).
    const alphabet = ['a', ' ', '\t', '\r', '\n', ','];
    const all = everyString(alphabet, 6);

    // Act
    const differing = all.filter((value) => canonicalHeaderValue([value]) !== reference(value));

    // Assess
    expect(differing).toEqual([]);
  });
});
