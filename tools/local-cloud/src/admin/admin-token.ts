import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The header that carries the token on the mutating `/_local` endpoints. */
export const ADMIN_TOKEN_HEADER = 'x-local-cloud-token';
/** Written next to `aws-credentials` (mode 0600) for the CLI and tests of a running cloud. */
export const ADMIN_TOKEN_FILE = 'admin-token';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * A random secret for one start of the local cloud, compared in constant time: digests of equal length, so neither
 * content nor length leaks through timing. The admin token is one; the console's session is another.
 */
export class StartSecret {
  public readonly value = randomBytes(32).toString('base64url');
  private readonly expected = digest(this.value);

  public matches(presented: string | undefined): boolean {
    return presented !== undefined && timingSafeEqual(digest(presented), this.expected);
  }
}

/**
 * A random token per start of the local cloud: what a caller of `POST /_local/deploy`, `DELETE /_local/stacks`
 * and the fault endpoints must show. Functions never see it: it is not in their environment, and node's
 * permission model keeps them from reading the file.
 */
export class AdminToken extends StartSecret {
  /** Writes `<dir>/admin-token`, readable by the developer's OS user only. */
  public writeTo(dir: string): string {
    const file = path.join(dir, ADMIN_TOKEN_FILE);
    writeFileSync(file, `${this.value}\n`, { mode: 0o600 });
    return file;
  }
}

/** The token of the cloud whose state is in `dir` (for the CLI's deploy and remove). */
export function readAdminToken(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, ADMIN_TOKEN_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}
