import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validatePolicyDocument, type NamedPolicy, type PolicyDocument, type PolicyKind } from '../iam';
import { stableUniqueId } from './credentials';
import type { IdentityStore } from './identity-store';
import type { AccessKey } from './types';

interface SeedFile {
  users?: Array<{
    name: string;
    accountId: string;
    accessKeyId: string;
    secretAccessKey: string;
    policies?: NamedPolicy[];
    tags?: Record<string, string>;
  }>;
  roles?: Array<{
    name: string;
    accountId: string;
    trustPolicy: PolicyDocument;
    policies?: NamedPolicy[];
    maxSessionDurationSeconds?: number;
    tags?: Record<string, string>;
  }>;
}

export class IdentitySeedError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdentitySeedError';
  }
}

function checkPolicy(where: string, document: unknown, kind: PolicyKind = 'identity'): void {
  const problems = validatePolicyDocument(document, kind);
  if (problems.length > 0) throw new IdentitySeedError(`${where}: invalid policy: ${problems.join('; ')}`);
}

/**
 * The identities the local cloud seeds by default: this repo's `infra/local/identities.json`, which the installed
 * package carries as its `identities.json`.
 */
export const LOCAL_IDENTITIES_FILE = [
  path.resolve(__dirname, '../../identities.json'),
  path.resolve(__dirname, '../../../../infra/local/identities.json'),
].find((file) => existsSync(file)) as string;

function readSeedFile(file: string): SeedFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SeedFile;
  } catch (error) {
    throw new IdentitySeedError(`Cannot read identities from ${file}`, { cause: error });
  }
}

/** A seeded user's published access key, for what signs as that user (tests, `npm run load`, benchmarks). */
export function seededUserKeys(name: string, file = LOCAL_IDENTITIES_FILE): AccessKey {
  const user = readSeedFile(file).users?.find((candidate) => candidate.name === name);
  if (!user) throw new IdentitySeedError(`${file} has no user ${name}`);
  return { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey };
}

/** Loads `infra/local/identities.json` into the store: the fixed, documented identities of the local cloud. */
export function seedIdentities(store: IdentityStore, file: string): void {
  const seed = readSeedFile(file);
  for (const user of seed.users ?? []) {
    const arn = `arn:aws:iam::${user.accountId}:user/${user.name}`;
    for (const policy of user.policies ?? [])
      checkPolicy(`${file}: user ${user.name} policy ${policy.name}`, policy.document);
    store.putUser({
      kind: 'user',
      name: user.name,
      accountId: user.accountId,
      arn,
      userId: stableUniqueId('AIDA', arn),
      accessKeys: [{ accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey }],
      policies: (user.policies ?? []).map((policy) => ({
        ...policy,
        name: `user/${user.name} policy ${policy.name}`,
      })),
      tags: user.tags ?? {},
    });
  }
  for (const role of seed.roles ?? []) {
    const arn = `arn:aws:iam::${role.accountId}:role/${role.name}`;
    checkPolicy(`${file}: role ${role.name} trust policy`, role.trustPolicy, 'trust');
    for (const policy of role.policies ?? [])
      checkPolicy(`${file}: role ${role.name} policy ${policy.name}`, policy.document);
    store.putRole({
      kind: 'role',
      name: role.name,
      accountId: role.accountId,
      arn,
      roleId: stableUniqueId('AROA', arn),
      trustPolicy: role.trustPolicy,
      policies: (role.policies ?? []).map((policy) => ({
        ...policy,
        name: `role/${role.name} policy ${policy.name}`,
      })),
      maxSessionDurationSeconds: role.maxSessionDurationSeconds ?? 3600,
      tags: role.tags ?? {},
    });
  }
}
