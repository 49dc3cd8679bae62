import { ALGORITHM, SCOPE_TERMINATOR } from './constants';
import { sha256Hex } from './crypto';

export function credentialScopeText(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/${SCOPE_TERMINATOR}`;
}

export function buildStringToSign(requestDateTime: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${requestDateTime}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
