import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PolicyStatement } from '../iam';
import { LOCAL_IDENTITIES_FILE, type AccessKey } from '../identity';

export interface TestUser {
  name: string;
  /** Default: the local cloud's account, 000000000000. */
  accountId?: string;
  /** One identity policy of these statements (Version 2012-10-17). */
  statements: PolicyStatement[];
}

/**
 * An identities file for one test: this repo's seed plus `users`, each with its own access key. Returns the file
 * and each user's key (for SDK clients).
 */
export function identitiesWith(users: TestUser[]): { file: string; keyOf: (name: string) => AccessKey } {
  const seed = JSON.parse(readFileSync(LOCAL_IDENTITIES_FILE, 'utf8')) as { users: unknown[] };
  const keys = new Map<string, AccessKey>();
  users.forEach((user, index) => {
    const key = {
      accessKeyId: `AKIATESTUSER${String(index).padStart(8, '0')}`,
      secretAccessKey: `test/${user.name}/secret/key/local-only`,
    };
    keys.set(user.name, key);
    seed.users.push({
      name: user.name,
      accountId: user.accountId ?? '000000000000',
      ...key,
      policies: [
        { name: `${user.name}-policy`, document: { Version: '2012-10-17', Statement: user.statements } },
      ],
    });
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'identities-')), 'identities.json');
  writeFileSync(file, JSON.stringify(seed));
  return {
    file,
    keyOf: (name) => {
      const key = keys.get(name);
      if (!key) throw new Error(`No test user ${name}`);
      return key;
    },
  };
}
