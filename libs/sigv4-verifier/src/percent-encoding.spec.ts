import {
  canonicalQueryComponent,
  percentDecode,
  percentDecodeToString,
  uriEncode,
  uriEncodeKeepingEscapes,
} from './percent-encoding';

describe('uriEncode', () => {
  it('leaves the RFC 3986 unreserved set alone and encodes everything else as upper-case %XX of UTF-8', () => {
    // Prepare
    const unreserved = 'AZaz09-_.~';

    // Act
    const encoded = [unreserved, 'a b', "!'()*", '/', '%20', 'é', 'ሴ', '😀'].map(uriEncode);

    // Assess
    expect(encoded).toEqual([
      unreserved,
      'a%20b',
      '%21%27%28%29%2A',
      '%2F',
      '%2520',
      '%C3%A9',
      '%E1%88%B4',
      '%F0%9F%98%80',
    ]);
  });

  it('encodes a lone surrogate as U+FFFD instead of throwing like encodeURIComponent', () => {
    expect(uriEncode('a\uD800b')).toBe('a%EF%BF%BDb');
  });
});

describe('uriEncodeKeepingEscapes', () => {
  it('keeps valid escapes as sent (case included) and encodes raw characters and stray percent signs', () => {
    expect(uriEncodeKeepingEscapes('a%20b c%2fd%zz%4')).toBe('a%20b%20c%2fd%25zz%254');
  });
});

describe('percentDecode', () => {
  it('decodes valid escapes to bytes and takes the rest literally as UTF-8, a plus sign included', () => {
    // Act
    const decoded = Buffer.from(percentDecode('%E1%88%B4+é%2x%'));

    // Assess
    expect(decoded).toEqual(Buffer.from('ሴ+é%2x%', 'utf8'));
  });

  it('decodes to text with U+FFFD for invalid UTF-8', () => {
    expect(percentDecodeToString('%FFa%2Fb')).toBe('\uFFFDa/b');
  });
});

describe('canonicalQueryComponent', () => {
  it('gives every spelling of the same bytes the same canonical form', () => {
    // Act
    const spellings = ['%7E', '~', '%2f', '%2F', 'a b', 'a%20b', '+', '%2B'].map(canonicalQueryComponent);

    // Assess
    expect(spellings).toEqual(['~', '~', '%2F', '%2F', 'a%20b', 'a%20b', '%2B', '%2B']);
  });
});
