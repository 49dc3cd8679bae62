import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A deterministic id shaped like AWS's (e.g. a 10-char REST API id), derived from the stack and logical id:
 * redeploying or restarting keeps every id, so URLs and ARNs people pasted keep working.
 */
export function deterministicId(length: number, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  let id = '';
  for (let i = 0; i < length; i += 1) id += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return id;
}

/** CloudFormation's generated names: `{stack}-{logicalId}-{RANDOM}` (here: stable). */
export function generatedName(stackName: string, logicalId: string, maxLength = 64): string {
  const suffix = deterministicId(12, stackName, logicalId).toUpperCase();
  return `${stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + `-${suffix}`;
}
