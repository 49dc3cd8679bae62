import { randomBytes } from 'node:crypto';
import { createVerifier, modPowN, N, padHex, passwordMatches, startExchange } from './srp';

// The server half of Cognito's SRP; the client half it must agree with is amazon-cognito-identity-js
// (tests/cognito-sign-in.test.ts signs in through it). Here: the arithmetic and the refusals.
function bigIntModPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = base % N;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % N;
    square = (square * square) % N;
  }
  return result;
}

const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

describe('padHex (amazon-cognito-identity-js AuthenticationHelper.padHex examples)', () => {
  test.each([
    [20n, '14'],
    [56n, '38'],
    [200n, '00c8'],
    [236n, '00ec'],
    [0x1abcn, '1abc'],
    [0xabcn, '0abc'],
  ])('%s -> %s', (value, hex) => expect(padHex(value)).toBe(hex));
});

describe('modPowN', () => {
  test('agrees with square-and-multiply for random bases and 256-bit exponents', () => {
    for (let round = 0; round < 10; round += 1) {
      const base = random(384) % N;
      const exponent = random(32);
      expect(modPowN(base, exponent)).toBe(bigIntModPow(base, exponent));
    }
  });

  test.each([
    ['0', 0n],
    ['1', 1n],
    ['2 (the generator)', 2n],
    ['N - 1', N - 1n],
    ['N', N],
    ['N + 5', N + 5n],
  ])('the edge base %s', (_label, base) => {
    const exponent = random(32);
    expect(modPowN(base, exponent)).toBe(bigIntModPow(base % N, exponent));
  });
});

describe('verifiers and exchanges', () => {
  const stored = createVerifier('AbCdEf123', 'user-1', 'Correct-Horse-9');

  test('the verifier matches its password only; two verifiers of one password differ (random salt)', () => {
    expect(passwordMatches(stored, 'AbCdEf123', 'user-1', 'Correct-Horse-9')).toBe(true);
    expect(passwordMatches(stored, 'AbCdEf123', 'user-1', 'Correct-Horse-8')).toBe(false);
    expect(passwordMatches(stored, 'AbCdEf123', 'user-2', 'Correct-Horse-9')).toBe(false);
    expect(passwordMatches(stored, 'OtherPool', 'user-1', 'Correct-Horse-9')).toBe(false);
    expect(createVerifier('AbCdEf123', 'user-1', 'Correct-Horse-9').verifier).not.toBe(stored.verifier);
  });

  test.each([
    ['A = 0', '0'],
    ['A = N (so A mod N = 0)', N.toString(16)],
    ['A = 2N', (2n * N).toString(16)],
    ['not hex', 'xyz'],
    ['empty', ''],
    ['longer than any A', 'f'.repeat(2049)],
  ])('a client public value that would force the key is refused: %s', (_label, clientPublic) => {
    expect(startExchange(stored, clientPublic)).toBeUndefined();
  });

  test('a valid A gives a B in the group and a 16-byte key', () => {
    const exchange = startExchange(stored, modPowN(2n, random(32)).toString(16));
    expect(exchange).toBeDefined();
    expect(BigInt(`0x${exchange?.serverPublic}`) % N).not.toBe(0n);
    expect(exchange?.key).toMatch(/^[0-9a-f]{32}$/);
  });
});
