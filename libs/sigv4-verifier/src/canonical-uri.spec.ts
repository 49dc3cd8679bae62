import { canonicalUri, normalizedPath } from './canonical-uri';
import { uriEncode } from './percent-encoding';
import { everyString } from './testing/every-string';

describe('canonicalUri', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['//', '/'],
    ['/./', '/'],
    ['/example/..', '/'],
    ['/example1/example2/../..', '/'],
    ['//example//', '/example/'],
    ['/./example', '/example'],
    ['/a/b/../c/', '/a/c/'],
    ['/a/.', '/a'],
    ['/..', '/'],
  ])('normalises %j to %j', (path, expected) => {
    expect(canonicalUri(path, true)).toBe(expected);
  });

  it('encodes the wire path again, so an escape sent by an SDK is double-encoded', () => {
    // Act
    const canonical = canonicalUri('/prod/a%20b/c%2Fd/%C3%A9', true);

    // Assess
    expect(canonical).toBe('/prod/a%2520b/c%252Fd/%25C3%25A9');
  });

  it('encodes raw characters once, as the test vectors sign them', () => {
    expect(canonicalUri('/example space/ሴ', true)).toBe('/example%20space/%E1%88%B4');
  });

  it('keeps an S3-style path as sent, encoding only raw characters', () => {
    // Act
    const canonical = canonicalUri('//example/./a%20b/c d/..', false);

    // Assess
    expect(canonical).toBe('//example/./a%20b/c%20d/..');
  });
});

describe('canonicalUri: the fast path for paths normalisation leaves alone', () => {
  // The general form: normalise, then encode every segment (what canonicalUri does for any path it cannot answer
  // at once).
  const reference = (path: string) => {
    if (path === '' || path === '/') return '/';
    const encoded = normalizedPath(path).split('/').map(uriEncode).join('/');
    return path.startsWith('/') ? encoded : encoded.slice(1);
  };

  it('answers every path of up to 6 characters of "a./%~ " exactly as normalising and encoding does', () => {
    // Prepare: every string over the alphabet, lengths 0 to 6 (56,000 paths).
    const alphabet = ['a', '.', '/', '%', '~', ' '];
    const all = everyString(alphabet, 6);

    // Act
    const differing = all.filter((path) => canonicalUri(path, true) !== reference(path));

    // Assess
    expect(differing).toEqual([]);
  });
});
