import { Sha256 as PortableSha256 } from '@aws-crypto/sha256-js';
import type { Checksum, ChecksumConstructor, SourceData } from '@smithy/types';

type NodeCrypto = typeof import('node:crypto');

function loadNodeCrypto(): NodeCrypto | undefined {
  try {
    // Not an import: the library also runs where node:crypto does not exist (browsers, workers).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return typeof process !== 'undefined' && process.versions?.node ? require('node:crypto') : undefined;
  } catch {
    return undefined;
  }
}

function bytesOf(data: SourceData): Uint8Array | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** SHA-256 (or HMAC-SHA256 with a secret) on node's OpenSSL binding, in smithy's `Checksum` shape. */
function nodeSha256(crypto: NodeCrypto): ChecksumConstructor {
  return class NodeSha256 implements Checksum {
    private hash: import('node:crypto').Hash | import('node:crypto').Hmac;

    public constructor(private readonly secret?: SourceData) {
      this.hash = this.create();
    }

    public update(data: Uint8Array | SourceData): void {
      this.hash.update(bytesOf(data));
    }

    public async digest(): Promise<Uint8Array> {
      return this.hash.digest();
    }

    public reset(): void {
      this.hash = this.create();
    }

    private create() {
      return this.secret === undefined
        ? crypto.createHash('sha256')
        : crypto.createHmac('sha256', bytesOf(this.secret));
    }
  };
}

const nodeCrypto = loadNodeCrypto();

/**
 * The hash the signer uses. Node's is about 1.7x faster per signature than the pure-JS `@aws-crypto/sha256-js`
 * (see the README's numbers and `bench/`), so it is used wherever it exists; sha256-js elsewhere.
 */
export const Sha256: ChecksumConstructor = nodeCrypto ? nodeSha256(nodeCrypto) : PortableSha256;
export const sha256Implementation: 'node:crypto' | '@aws-crypto/sha256-js' = nodeCrypto
  ? 'node:crypto'
  : '@aws-crypto/sha256-js';
export { PortableSha256 };
