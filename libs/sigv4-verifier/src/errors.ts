export type SigV4ErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'SignatureDoesNotMatch'
  | 'SignatureExpired'
  | 'InvalidClientTokenId'
  | 'ExpiredToken'
  | 'InvalidCredentialScope'
  | 'InternalFailure';

export interface SigV4ErrorOptions extends ErrorOptions {
  /** Overrides the class's HTTP status where AWS answers differently for one case. */
  status?: number;
}

/**
 * Why a request's SigV4 signature was refused. `message` is AWS's own text; `code` names the kind of refusal
 * (each service maps it to its wire format); `status` is the HTTP status AWS answers with.
 */
export abstract class SigV4Error extends Error {
  public abstract readonly code: SigV4ErrorCode;
  public readonly status: number;

  protected constructor(message: string, defaultStatus: number, options?: SigV4ErrorOptions) {
    // A refusal is an answer, not a bug: its stack says nothing, and capturing one costs more than
    // verifying a signature. Only failures of the verifier itself (with a `cause`) keep their stack.
    const stackTraceLimit = Error.stackTraceLimit;
    if (options?.cause === undefined) Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.status = options?.status ?? defaultStatus;
  }
}

/** No Authorization header and no presigned query: 403 (AWS Common Errors). */
export class MissingAuthenticationTokenError extends SigV4Error {
  public readonly code = 'MissingAuthenticationToken';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 403, options);
    this.name = 'MissingAuthenticationTokenError';
  }
}

/** Malformed signature parts (missing parameter, bad date, bad credential): 400 (AWS Common Errors). */
export class IncompleteSignatureError extends SigV4Error {
  public readonly code = 'IncompleteSignature';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 400, options);
    this.name = 'IncompleteSignatureError';
  }
}

export class SignatureDoesNotMatchError extends SigV4Error {
  public readonly code = 'SignatureDoesNotMatch';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 403, options);
    this.name = 'SignatureDoesNotMatchError';
  }
}

/** Outside the allowed clock skew, or a presigned URL past its X-Amz-Expires. */
export class SignatureExpiredError extends SigV4Error {
  public readonly code = 'SignatureExpired';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 403, options);
    this.name = 'SignatureExpiredError';
  }
}

/** Unknown access key, or a session token missing or not the one issued with the key. */
export class InvalidClientTokenIdError extends SigV4Error {
  public readonly code = 'InvalidClientTokenId';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 403, options);
    this.name = 'InvalidClientTokenIdError';
  }
}

/** Temporary credentials past their expiration. */
export class ExpiredTokenError extends SigV4Error {
  public readonly code = 'ExpiredToken';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 403, options);
    this.name = 'ExpiredTokenError';
  }
}

/** Credential scoped to another region, service, date or terminator. */
export class InvalidCredentialScopeError extends SigV4Error {
  public readonly code = 'InvalidCredentialScope';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 403, options);
    this.name = 'InvalidCredentialScopeError';
  }
}

/** A failure of the verifier itself (never of the request): 500, details only in `cause`. */
export class InternalFailureError extends SigV4Error {
  public readonly code = 'InternalFailure';
  public constructor(message: string, options?: SigV4ErrorOptions) {
    super(message, 500, options);
    this.name = 'InternalFailureError';
  }
}
