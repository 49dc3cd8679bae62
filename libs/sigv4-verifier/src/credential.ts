import { MESSAGE } from './constants';
import { IncompleteSignatureError } from './errors';
import type { CredentialScope } from './types';

export interface ParsedCredential extends CredentialScope {
  terminator: string;
}

const TRAILING_SLASHES = /\/+$/;

/** Splits `AKID/20150830/us-east-1/service/aws4_request`; AWS ignores trailing slashes (architect/dynalite). */
export function parseCredential(credential: string): ParsedCredential {
  const parts = credential.replace(TRAILING_SLASHES, '').split('/');
  if (parts.length !== 5) throw new IncompleteSignatureError(MESSAGE.credentialParts(credential));
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}
