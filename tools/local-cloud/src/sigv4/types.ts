export interface SignedRequest {
  method: string;
  /** Raw path exactly as on the wire (percent-encoding kept), no query. */
  path: string;
  /** Raw query string as on the wire, without '?'; '' if none. */
  query: string;
  /** Raw header pairs in order, duplicates kept. */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body: Uint8Array;
}

export interface CredentialRecord {
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: Date;
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export interface VerifyOptions {
  now: Date;
  /** Expected credential-scope service, e.g. 'execute-api'. */
  service: string;
  region: string;
  lookupCredential(accessKeyId: string): CredentialRecord | undefined;
  /** Default true; false = S3 style (path kept as sent). */
  normalizePath?: boolean;
  maxSkewMs?: number;
}
