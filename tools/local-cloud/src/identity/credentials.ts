import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += BASE32[(bytes[i % bytes.length] ?? 0) % 32];
  return out;
}

/** An access key id shaped like AWS's: `AKIA` for long-term keys, `ASIA` for temporary ones, 20 chars. */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  return prefix + base32(randomBytes(16), 16);
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

export function newSessionToken(): string {
  return randomBytes(160).toString('base64');
}

/**
 * A stable unique id (AIDA.../AROA...) derived from the ARN, so ids survive restarts as AWS's do
 * for an unchanged user or role.
 */
export function stableUniqueId(prefix: 'AIDA' | 'AROA', arn: string): string {
  return prefix + base32(createHash('sha256').update(arn).digest(), 17);
}
