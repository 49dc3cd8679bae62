import type { SigV4Error, SigV4ErrorCode } from '@sigv4-auth/sigv4-verifier';

export interface WireError {
  status: number;
  code: string;
}

/**
 * How the AWS Query protocol (STS, CloudFormation) names a SigV4 refusal. AWS Common Errors
 * (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html) has no code of its own for an
 * expired signature or a wrong scope: STS answers `SignatureDoesNotMatch` with the "Signature expired: ..."
 * or "Credential should be scoped to ..." message (seen in https://github.com/aws/aws-cli/issues/6676).
 */
const QUERY_PROTOCOL: Record<SigV4ErrorCode, WireError> = {
  MissingAuthenticationToken: { status: 403, code: 'MissingAuthenticationToken' },
  IncompleteSignature: { status: 400, code: 'IncompleteSignature' },
  SignatureDoesNotMatch: { status: 403, code: 'SignatureDoesNotMatch' },
  SignatureExpired: { status: 403, code: 'SignatureDoesNotMatch' },
  InvalidCredentialScope: { status: 403, code: 'SignatureDoesNotMatch' },
  InvalidClientTokenId: { status: 403, code: 'InvalidClientTokenId' },
  ExpiredToken: { status: 403, code: 'ExpiredToken' },
  InternalFailure: { status: 500, code: 'InternalFailure' },
};

/**
 * How the AWS JSON protocol (DynamoDB) names a SigV4 refusal: always 400, `__type` ending in these names
 * (DynamoDB "Error handling": https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html;
 * an expired signature is `InvalidSignatureException`, https://github.com/aws/aws-sdk-js/issues/254).
 */
const JSON_PROTOCOL: Record<SigV4ErrorCode, WireError> = {
  MissingAuthenticationToken: { status: 400, code: 'MissingAuthenticationTokenException' },
  IncompleteSignature: { status: 400, code: 'IncompleteSignatureException' },
  SignatureDoesNotMatch: { status: 400, code: 'InvalidSignatureException' },
  SignatureExpired: { status: 400, code: 'InvalidSignatureException' },
  InvalidCredentialScope: { status: 400, code: 'InvalidSignatureException' },
  InvalidClientTokenId: { status: 400, code: 'UnrecognizedClientException' },
  ExpiredToken: { status: 400, code: 'ExpiredTokenException' },
  InternalFailure: { status: 500, code: 'InternalServerError' },
};

export function queryProtocolError(error: SigV4Error): WireError {
  return QUERY_PROTOCOL[error.code];
}

export function jsonProtocolError(error: SigV4Error): WireError {
  return JSON_PROTOCOL[error.code];
}

/** The codes a SigV4 refusal goes by on the wire, in either protocol (not the internal failure). */
const SIGV4_WIRE_CODES = new Set(
  [...Object.values(QUERY_PROTOCOL), ...Object.values(JSON_PROTOCOL)]
    .map((wire) => wire.code)
    .filter((code) => !code.startsWith('Internal')),
);

export function isSigV4WireCode(code: string): boolean {
  return SIGV4_WIRE_CODES.has(code);
}
