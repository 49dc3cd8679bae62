import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server side of Cognito's SRP-6a (`USER_SRP_AUTH` + `PASSWORD_VERIFIER`), byte for byte what Cognito's
 * clients compute (amazon-cognito-identity-js `AuthenticationHelper`, Amplify, boto3's warrant/pycognito):
 * the 3072-bit group of RFC 5054 / RFC 3526, g = 2, SHA-256, k = H(N | g), u = H(A | B),
 * x = H(salt | H(poolName | username | ":" | password)), the session key from HKDF-SHA256 with the info
 * "Caldera Derived Key", and the claim signature HMAC(key, poolName | username | secretBlock | timestamp).
 * No library models Cognito's variant (its padding, its HKDF, its claim), so it is written here; the tests
 * sign in with amazon-cognito-identity-js, an independent implementation of the client half.
 *
 * The server stores only the salt and the verifier v = g^x mod N, never the password.
 */
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
export const N = BigInt(`0x${N_HEX}`);
const N_BYTES = Buffer.from(N_HEX, 'hex');
const G = 2n;
const GENERATOR_BYTES = Buffer.from([2]);
const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

/** Hex of a non-negative integer as the clients pad it: even length, and a leading 00 when the top bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function hexHash(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function toBytes(value: bigint): Buffer {
  return Buffer.from(padHex(value), 'hex');
}

/**
 * base^exponent mod N with OpenSSL's modular exponentiation (node's Diffie-Hellman over the same group):
 * about 6 times faster than BigInt square-and-multiply, which keeps an SRP sign-in near a millisecond.
 */
export function modPowN(base: bigint, exponent: bigint): bigint {
  const reduced = base % N;
  // OpenSSL takes a "public key" only in 2..N-2 (and a generator other than 2 or 5 costs a primality check of
  // N on every construction): those bases, and the trivial ones, are left to BigInt.
  if (reduced < 2n || reduced > N - 2n) return bigIntModPow(reduced, exponent);
  const dh = createDiffieHellman(N_BYTES, GENERATOR_BYTES);
  dh.setPrivateKey(toBytes(exponent));
  return reduced === G ? toBigInt(dh.generateKeys()) : toBigInt(dh.computeSecret(toBytes(reduced)));
}

function bigIntModPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = base % N;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % N;
    square = (square * square) % N;
  }
  return result;
}

const K = BigInt(`0x${hexHash(padHex(N) + padHex(G))}`);

export interface PasswordVerifier {
  /** Hex, as sent in the challenge's SALT. */
  salt: string;
  /** Hex of v = g^x mod N. */
  verifier: string;
}

function passwordExponent(poolName: string, username: string, password: string, saltHex: string): bigint {
  const inner = createHash('sha256').update(`${poolName}${username}:${password}`, 'utf8').digest('hex');
  return BigInt(`0x${hexHash(padHex(BigInt(`0x${saltHex}`)) + inner)}`);
}

/** A new random salt and the verifier of `password` for `username` in the pool named `poolName`. */
export function createVerifier(poolName: string, username: string, password: string): PasswordVerifier {
  const salt = randomBytes(16).toString('hex');
  const verifier = modPowN(G, passwordExponent(poolName, username, password, salt));
  return { salt, verifier: padHex(verifier) };
}

/** Whether `password` matches the stored verifier (USER_PASSWORD_AUTH, ChangePassword), in constant time. */
export function passwordMatches(
  stored: PasswordVerifier,
  poolName: string,
  username: string,
  password: string,
): boolean {
  const candidate = Buffer.from(
    padHex(modPowN(G, passwordExponent(poolName, username, password, stored.salt))),
    'hex',
  );
  const expected = Buffer.from(stored.verifier, 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** The server's half of one SRP exchange, kept between InitiateAuth and RespondToAuthChallenge. */
export interface SrpExchange {
  /** Hex of B, sent as SRP_B. */
  serverPublic: string;
  /** Hex of the 16-byte session key both sides derive. */
  key: string;
}

/**
 * Answers the client's A: B = k*v + g^b mod N, and the session key from S = (A * v^u)^b mod N. Undefined when
 * A mod N is 0 (a client trying to force S = 0), which the caller refuses.
 */
export function startExchange(stored: PasswordVerifier, clientPublicHex: string): SrpExchange | undefined {
  if (!/^[0-9a-f]{1,2048}$/i.test(clientPublicHex)) return undefined;
  const A = BigInt(`0x${clientPublicHex}`);
  if (A % N === 0n) return undefined;
  const v = BigInt(`0x${stored.verifier}`);
  const b = toBigInt(randomBytes(32));
  const B = (K * v + modPowN(G, b)) % N;
  const u = BigInt(`0x${hexHash(padHex(A) + padHex(B))}`);
  if (u === 0n) return undefined;
  const S = modPowN((A * modPowN(v, u)) % N, b);
  const prk = createHmac('sha256', toBytes(u)).update(toBytes(S)).digest();
  const key = createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
  return { serverPublic: B.toString(16), key: key.toString('hex') };
}

/**
 * Whether the client's PASSWORD_CLAIM_SIGNATURE proves it derived the same key (so knew the password):
 * base64(HMAC-SHA256(key, poolName | username | secretBlock | timestamp)), compared in constant time.
 */
export function claimMatches(
  exchange: SrpExchange,
  poolName: string,
  username: string,
  secretBlock: Buffer,
  timestamp: string,
  signatureBase64: string,
): boolean {
  const expected = createHmac('sha256', Buffer.from(exchange.key, 'hex'))
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(username, 'utf8'),
        secretBlock,
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(signatureBase64, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
