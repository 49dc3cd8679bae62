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
 * A filter for everything printed to stderr (`-v`, errors). The secret key never appears (replaced wherever it
 * shows up); session tokens and signatures keep only their first characters: a log pasted into a ticket then
 * neither leaks credentials nor lets anyone replay the request within its 5 minutes. Knows every set of
 * credentials it was given (retries may use refreshed ones).
 */
export class Redactor {
  private readonly replacements = new Map<string, string>();

  public add(credentials: AwsCredentialIdentity): void {
    if (credentials.secretAccessKey)
      this.replacements.set(credentials.secretAccessKey, '[secret access key redacted]');
    const token = credentials.sessionToken;
    if (token)
      for (const form of [token, awsEncoded(token), encodeURIComponent(token)])
        this.replacements.set(form, redacted(form));
  }

  public apply(text: string): string {
    let result = text;
    for (const [secret, replacement] of this.replacements) result = result.split(secret).join(replacement);
    return result.replace(
      /(Signature=|X-Amz-Signature=)([0-9a-f]{64})/gi,
      (_match, prefix: string, signature: string) => `${prefix}${redacted(signature)}`,
    );
  }
}
