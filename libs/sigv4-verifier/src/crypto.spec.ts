import { constantTimeEquals, sha256Hex } from './crypto';

describe('constantTimeEquals', () => {
  it('is true only for identical text, whatever the lengths', () => {
    expect(constantTimeEquals('abc', 'abc')).toBe(true);
    expect(constantTimeEquals('abc', 'abd')).toBe(false);
    expect(constantTimeEquals('abc', 'abcd')).toBe(false);
    // U+0161 truncates to 'a' in latin1: comparison must use all of each character.
    expect(constantTimeEquals('abc', '\u0161bc')).toBe(false);
  });
});

describe('sha256Hex', () => {
  it('hashes text as UTF-8 and bytes as given', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('ü')).toBe(sha256Hex(Buffer.from('ü', 'utf8')));
  });
});
