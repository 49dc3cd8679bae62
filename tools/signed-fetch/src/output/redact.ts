import type { AwsCredentialIdentity } from '@sigv4-auth/signed-fetch';

const KEEP = 8;

/** The first characters, enough to tell two tokens apart, and how much is hidden. */
export function redacted(secret: string): string {
  return `${secret.slice(0, KEEP)}…[${secret.length - KEEP} chars redacted]`;
}

/** AWS's URI encoding (RFC 3986 unreserved kept): how a token appears in a canonical or presigned query. */
const awsEncoded = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A filter for everything `-v` prints. The secret key never appears (it is replaced wherever it shows up);
 * the session token and signatures keep only their first characters: a log pasted into a ticket then
 * neither leaks credentials nor lets anyone replay the request within its 5 minutes.
 */
export function secretRedactor(credentials: AwsCredentialIdentity): (text: string) => string {
  const replacements: Array<[string, string]> = [
    [credentials.secretAccessKey, '[secret access key redacted]'],
  ];
  const token = credentials.sessionToken;
  if (token) {
    for (const form of new Set([token, awsEncoded(token), encodeURIComponent(token)]))
      replacements.push([form, redacted(form)]);
  }
  return (text) => {
    let result = text;
    for (const [secret, replacement] of replacements) result = result.split(secret).join(replacement);
    return result.replace(
      /(Signature=|X-Amz-Signature=)([0-9a-f]{64})/gi,
      (_match, prefix: string, signature: string) => `${prefix}${redacted(signature)}`,
    );
  };
}
