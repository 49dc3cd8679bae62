import type { SigV4Error } from './errors';

/**
 * A request as it came over the wire. Strings hold the wire text with any non-ASCII bytes decoded as UTF-8
 * (clients percent-encode, so in practice they are ASCII; note that Node's `IncomingMessage.url` decodes
 * raw bytes as latin1).
 */
export interface SignedRequest {
  method: string;
  /** Raw path exactly as on the wire (percent-encoding kept), no query. */
  path: string;
  /** Raw query string as on the wire, without '?'; '' if none. */
  query: string;
  /** Raw header pairs in order, duplicates kept (like `IncomingMessage.rawHeaders` paired). */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body: Uint8Array;
}

export interface CredentialRecord {
  secretAccessKey: string;
  /** Set for temporary credentials: the request must then carry exactly this token. */
  sessionToken?: string;
  expiresAt?: Date;
}

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface VerifyOptions {
  now: Date;
  /** Expected credential-scope service, e.g. 'execute-api'. */
  service: string;
  /** Expected credential-scope region. */
  region: string;
  lookupCredential(accessKeyId: string): CredentialRecord | undefined;
  /** Default true: remove empty, '.' and '..' segments and encode the path again. false = S3 style. */
  normalizePath?: boolean;
  /** Default 5 minutes, as API Gateway. */
  maxSkewMs?: number;
}

export type VerifyResult =
  | {
      ok: true;
      accessKeyId: string;
      /** The session token the request carried (already checked against the credential record). */
      sessionToken?: string;
      signedHeaders: string[];
      form: 'header' | 'query';
      scope: CredentialScope;
    }
  | { ok: false; error: SigV4Error };
