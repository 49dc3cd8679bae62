import { canonicalHeaders, type HeaderIndex } from './canonical-headers';
import { canonicalQuery } from './canonical-query';
import { canonicalUri } from './canonical-uri';
import type { QueryParam } from './query-params';

export interface CanonicalRequestInput {
  method: string;
  path: string;
  query: readonly QueryParam[];
  headers: HeaderIndex;
  /** As listed in SignedHeaders (lower-case, sorted by the signer). */
  signedHeaders: readonly string[];
  payloadHash: string;
  normalizePath: boolean;
  /** Query keys left out of the signature, in canonical form (e.g. X-Amz-Signature). */
  excludedQueryKeys: ReadonlySet<string>;
}

/** The canonical request AWS hashes into the string to sign (and quotes back when a signature is wrong). */
export function buildCanonicalRequest(input: CanonicalRequestInput): string {
  return (
    `${input.method}\n${canonicalUri(input.path, input.normalizePath)}\n` +
    `${canonicalQuery(input.query, input.excludedQueryKeys)}\n` +
    `${canonicalHeaders(input.signedHeaders, input.headers)}\n` +
    `${input.signedHeaders.join(';')}\n${input.payloadHash}`
  );
}
