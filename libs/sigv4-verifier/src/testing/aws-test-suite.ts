import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  loadSigV4TestVectors,
  sigv4TestSuiteDir,
  type ParsedHttpRequest,
  type SigV4Vector,
} from '@sigv4-auth/testing';
import type { SignedRequest, VerifyOptions } from '../types';

/**
 * Test support: AWS's SigV4 test suite (read at run time from ../shared/sigv4-testsuite/v4 beside the repo,
 * or SIGV4_TESTSUITE_DIR; a missing suite fails the tests that use it).
 */
export const vectors: readonly SigV4Vector[] = loadSigV4TestVectors();

export type { SigV4Vector };

/** A file of one case, e.g. `query-canonical-request.txt`, verbatim. */
export function readSuiteFile(vector: SigV4Vector, file: string): string {
  return readFileSync(path.join(sigv4TestSuiteDir(), vector.name, file), 'utf8');
}

export function vectorNamed(name: string): SigV4Vector {
  const vector = vectors.find((candidate) => candidate.name === name);
  if (!vector) throw new Error(`No SigV4 test vector named ${name}`);
  return vector;
}

/** The request line carries raw characters (a space, ሴ): fed as the wire path, as the suite intends. */
export function toSignedRequest(parsed: ParsedHttpRequest): SignedRequest {
  return {
    method: parsed.method,
    path: parsed.path,
    query: parsed.query,
    headers: parsed.headers.map(([name, value]) => [name, value] as const),
    body: Buffer.from(parsed.body, 'utf8'),
  };
}

/** Verification options with the vector's clock, scope, path style and credentials (token included). */
export function optionsFor(vector: SigV4Vector, overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  const { context } = vector;
  return {
    now: new Date(context.timestamp),
    service: context.service,
    region: context.region,
    normalizePath: context.normalize,
    lookupCredential: (accessKeyId) =>
      accessKeyId === context.credentials.access_key_id
        ? { secretAccessKey: context.credentials.secret_access_key, sessionToken: context.credentials.token }
        : undefined,
    ...overrides,
  };
}
