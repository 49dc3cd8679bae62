export type SigV4ErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidSignature'
  | 'SignatureDoesNotMatch'
  | 'SignatureExpired'
  | 'InvalidClientTokenId'
  | 'ExpiredToken';

/** Why a request's SigV4 signature was refused; `message` is the text AWS answers with. */
export class SigV4Error extends Error {
  public constructor(
    public readonly code: SigV4ErrorCode,
    message: string,
    public readonly status = 403,
  ) {
    super(message);
    this.name = 'SigV4Error';
  }
}
