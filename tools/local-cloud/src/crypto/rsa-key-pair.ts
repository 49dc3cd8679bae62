import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  type RSAKeyPairOptions,
} from 'node:crypto';
import { promisify } from 'node:util';

export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const pemPair = (modulusLength: number) =>
  ({
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }) satisfies RSAKeyPairOptions<'pem', 'pem'>;

const fromPem = ({ privateKey, publicKey }: { privateKey: string; publicKey: string }): RsaKeyPair => ({
  privateKey: createPrivateKey(privateKey),
  publicKey: createPublicKey(publicKey),
});

/**
 * A new RSA key pair (2048 bits unless a test asks for smaller, faster ones), as KeyObjects that the generation job
 * never held.
 *
 * Node 20's `generateKeyPair(Sync)` returns KeyObjects that share their key, and its lock, with the job that made
 * them. Exporting such a key as a JWK holds that lock while it allocates; if the allocation runs a garbage
 * collection that destroys the (by then unreferenced) job, the job's destructor waits for the same lock, and the
 * process hangs for good. This repo's CI hit it: a jest worker stuck in `KeyObjectHandle::ExportJWK` -> GC ->
 * `~KeyGenJob` -> `uv_mutex_lock`. So the pair is generated as PEM text and imported into keys of their own.
 */
export function newRsaKeyPair(modulusLength = 2048): RsaKeyPair {
  return fromPem(generateKeyPairSync('rsa', pemPair(modulusLength)));
}

/** `newRsaKeyPair` on libuv's thread pool (the key search takes ~50-500 ms). */
export async function newRsaKeyPairAsync(modulusLength = 2048): Promise<RsaKeyPair> {
  return fromPem(await promisify(generateKeyPair)('rsa', pemPair(modulusLength)));
}
