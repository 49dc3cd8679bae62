import { deriveSigningKey, SigningKeyCache } from './signing-key';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('deriveSigningKey', () => {
  it("derives the key of AWS's documented example (20150830/us-east-1/iam)", () => {
    // https://docs.aws.amazon.com/general/latest/gr/sigv4-calculate-signature.html
    expect(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });
});

describe('SigningKeyCache', () => {
  it('returns the cached key for the same secret and scope', () => {
    // Prepare
    const cache = new SigningKeyCache(2);

    // Act
    const first = cache.get(SECRET, '20150830', 'us-east-1', 'iam');
    const second = cache.get(SECRET, '20150830', 'us-east-1', 'iam');

    // Assess
    expect(second).toBe(first);
    expect(first).toEqual(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam'));
  });

  it('stays bounded, evicting the least recently used key', () => {
    // Prepare
    const cache = new SigningKeyCache(2);
    const a = cache.get('a', '20150830', 'us-east-1', 'sts');
    const b = cache.get('b', '20150830', 'us-east-1', 'sts');
    cache.get('a', '20150830', 'us-east-1', 'sts'); // a is now the most recently used

    // Act
    cache.get('c', '20150830', 'us-east-1', 'sts');

    // Assess
    expect(cache.size).toBe(2);
    expect(cache.get('a', '20150830', 'us-east-1', 'sts')).toBe(a);
    expect(cache.get('b', '20150830', 'us-east-1', 'sts')).not.toBe(b);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new SigningKeyCache(0)).toThrow(RangeError);
  });
});
