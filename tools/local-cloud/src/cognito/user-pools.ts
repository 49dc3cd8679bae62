import { createHash, createHmac, randomBytes } from 'node:crypto';
import { newRsaKeyPair } from '../crypto/rsa-key-pair';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PasswordVerifier } from './srp';

/** A pool's settings, as its `AWS::Cognito::UserPool` resource gives them (redeploys replace them). */
export interface UserPoolConfig {
  id: string;
  name: string;
  arn: string;
  accountId: string;
  region: string;
  stackName?: string;
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  caseSensitive: boolean;
  passwordPolicy: PasswordPolicy;
  /** Trigger name (`PreSignUp`, `PostConfirmation`, ...) -> function ARN. */
  lambdaConfig: Record<string, string>;
  clients: AppClient[];
  groups: UserGroup[];
  resourceServers: ResourceServer[];
  domain?: string;
  /** AdminCreateUserConfig.AllowAdminCreateUserOnly: SignUp is refused. */
  adminCreateUserOnly: boolean;
  /** `custom:<name>` of every custom attribute the pool's Schema declares: no other custom attribute is taken. */
  customAttributes: string[];
  /** Standard attributes the Schema marks Required: SignUp and AdminCreateUser need them. */
  requiredAttributes: string[];
  /** False when AccountRecoverySetting allows only `admin_only`: ForgotPassword is refused. */
  selfServiceRecovery: boolean;
}

export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

export interface AppClient {
  clientId: string;
  clientName: string;
  /** Present when GenerateSecret was true. */
  clientSecret?: string;
  /** ALLOW_* names (legacy names mapped at deploy). */
  explicitAuthFlows: string[];
  allowedOAuthFlows: string[];
  allowedOAuthScopes: string[];
  allowedOAuthFlowsUserPoolClient: boolean;
  accessTokenValiditySeconds: number;
  idTokenValiditySeconds: number;
  refreshTokenValiditySeconds: number;
  /** `LEGACY` when unset (the API's default, research notes B3). */
  preventUserExistenceErrors: 'ENABLED' | 'LEGACY';
  enableTokenRevocation: boolean;
  authSessionValiditySeconds: number;
  /** The attributes the client may write (SignUp, NEW_PASSWORD_REQUIRED); undefined = all writable ones. */
  writeAttributes?: string[];
  /** The attributes the client may read (ID token, GetUser); undefined = all. */
  readAttributes?: string[];
  /** As CloudFormation gave them, for DescribeUserPoolClient. */
  described: Record<string, unknown>;
}

export interface UserGroup {
  groupName: string;
  description?: string;
  precedence?: number;
  roleArn?: string;
}

export interface ResourceServer {
  identifier: string;
  name: string;
  scopes: Array<{ ScopeName: string; ScopeDescription: string }>;
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

/** A one-time code Cognito would mail: only its hash is kept. */
export interface PendingCode {
  sha256: string;
  expiresAt: number;
  failures: number;
}

export interface CognitoUser {
  /** The internal user name (`cognito:username`; a UUID = `sub` when email is the username). */
  username: string;
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  password: PasswordVerifier;
  temporaryPasswordExpiresAt?: number;
  groups: string[];
  confirmationCode?: PendingCode;
  resetCode?: PendingCode;
  failedSignIns: number;
  /** When the last wrong password was given (the count resets after 15 minutes without one). */
  lastFailedSignInAt?: number;
  lockedUntil?: number;
  /** Access and ID tokens issued before this (epoch seconds) are refused: GlobalSignOut, disable, delete. */
  tokensValidAfter?: number;
  /** When codes were last mailed (the last hour's): a cap on how many one user can ask for. */
  codesMailedAt?: number[];
  /** Wrong codes over all of the user's codes in the last hour. */
  codeFailures?: { count: number; since: number };
}

/** An issued refresh token, keyed by its hash (the token itself is never kept). */
export interface RefreshTokenRecord {
  username: string;
  /** The user's sub: a user deleted and made again under the same name does not inherit the token. */
  sub: string;
  clientId: string;
  originJti: string;
  authTime: number;
  expiresAt: number;
  /** Kept until it expires, so its use is answered "has been revoked". */
  revoked?: boolean;
}

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: Record<string, string>;
}

/** What a pool keeps across redeploys and, in disk mode, restarts: users, keys, tokens. */
export interface PoolData {
  users: Record<string, CognitoUser>;
  idKey: SigningKey;
  accessKey: SigningKey;
  refreshTokens: Record<string, RefreshTokenRecord>;
  /**
   * origin_jti of revoked sessions -> until when it matters (epoch seconds): the access and ID tokens of a
   * revoked session are refused until they would have expired anyway (at most a day, Cognito's longest validity).
   */
  revokedOrigins: Record<string, number>;
}

export interface UserPool {
  config: UserPoolConfig;
  data: PoolData;
  createdAt: number;
  updatedAt: number;
}

function signingKey(): SigningKey {
  const { publicKey, privateKey } = newRsaKeyPair();
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return {
    kid: randomBytes(32).toString('base64'),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    publicJwk: { alg: 'RS256', e: jwk.e, kid: '', kty: 'RSA', n: jwk.n, use: 'sig' },
  };
}

/** A map keyed by caller-chosen strings: no prototype, so `__proto__` or `constructor` are plain keys. */
function dictionary<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

function newPoolData(): PoolData {
  const idKey = signingKey();
  const accessKey = signingKey();
  idKey.publicJwk.kid = idKey.kid;
  accessKey.publicJwk.kid = accessKey.kid;
  return { users: dictionary(), idKey, accessKey, refreshTokens: dictionary(), revokedOrigins: dictionary() };
}

/** Pool data as read from disk, with the same prototype-free maps as a new pool's. */
function rehydrate(data: PoolData): PoolData {
  const users = dictionary<CognitoUser>();
  for (const [name, user] of Object.entries(data.users))
    users[name] = { ...user, attributes: dictionary(user.attributes) };
  return {
    ...data,
    users,
    refreshTokens: dictionary(data.refreshTokens),
    revokedOrigins: dictionary(data.revokedOrigins),
  };
}

/** Attribute maps of users are prototype-free too. */
export const attributeMap = (entries: Record<string, string> = {}) => dictionary(entries);

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Every user pool of the local cloud. Pools come from CloudFormation; what they hold (users, signing keys,
 * refresh tokens) survives a redeploy and, with a `dataDir`, a restart: one JSON file per pool, mode 0600,
 * holding no password (only SRP salts and verifiers), no code and no refresh token (only their SHA-256).
 * Private signing keys and client secrets are in it, as they must be to sign tokens and answer
 * DescribeUserPoolClient after a restart.
 */
export class UserPools {
  private readonly pools = new Map<string, UserPool>();
  private readonly clients = new Map<string, { pool: UserPool; client: AppClient }>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  /** Derives client secrets: stable for this cloud's state, never the same on two machines, never in git. */
  private readonly secretSeed: Buffer;

  public constructor(private readonly dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const seedFile = path.join(dataDir, 'client-secret-seed');
      if (!existsSync(seedFile)) writeFileSync(seedFile, randomBytes(32).toString('hex'), { mode: 0o600 });
      this.secretSeed = Buffer.from(readFileSync(seedFile, 'utf8').trim(), 'hex');
    } else {
      this.secretSeed = randomBytes(32);
    }
  }

  /** A value derived from this cloud's seed (stable across restarts, unknown to callers). */
  public derive(label: string): Buffer {
    return createHmac('sha256', this.secretSeed).update(label).digest();
  }

  /** Cognito's client secrets: 51 characters of [a-z0-9]. */
  public clientSecret(clientId: string): string {
    const digest = this.derive(clientId);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let secret = '';
    for (let index = 0; secret.length < 51; index += 1) {
      const byte = digest[index % digest.length] as number;
      secret += alphabet[(byte + index * 7) % alphabet.length];
    }
    return secret;
  }

  /** Creates the pool or replaces its settings, keeping its users, keys and tokens. */
  public put(config: UserPoolConfig, now: number): UserPool {
    const existing = this.pools.get(config.id);
    for (const [clientId, entry] of this.clients)
      if (entry.pool.config.id === config.id) this.clients.delete(clientId);
    const pool: UserPool = existing
      ? { ...existing, config, updatedAt: now }
      : { config, data: this.load(config.id) ?? newPoolData(), createdAt: now, updatedAt: now };
    this.pools.set(config.id, pool);
    for (const client of config.clients) this.clients.set(client.clientId, { pool, client });
    this.changed(pool);
    return pool;
  }

  public remove(poolId: string): void {
    this.pools.delete(poolId);
    for (const [clientId, entry] of this.clients)
      if (entry.pool.config.id === poolId) this.clients.delete(clientId);
    this.dirty.delete(poolId);
    if (this.dataDir) rmSync(this.file(poolId), { force: true });
  }

  public get(poolId: string): UserPool | undefined {
    return this.pools.get(poolId);
  }

  public list(): UserPool[] {
    return [...this.pools.values()];
  }

  public client(clientId: string): { pool: UserPool; client: AppClient } | undefined {
    return this.clients.get(clientId);
  }

  /** Marks a pool's data changed: written at the end of this tick (several changes, one write). */
  public changed(pool: UserPool): void {
    if (!this.dataDir) return;
    this.dirty.add(pool.config.id);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flush());
  }

  /** Writes every changed pool now (also called on stop). */
  public flush(): void {
    this.flushScheduled = false;
    if (!this.dataDir) return;
    for (const poolId of this.dirty) {
      const pool = this.pools.get(poolId);
      if (!pool) continue;
      const file = this.file(poolId);
      // Beside, then rename: a crash mid-write never leaves half a file.
      writeFileSync(`${file}.partial`, JSON.stringify(pool.data), { mode: 0o600 });
      renameSync(`${file}.partial`, file);
    }
    this.dirty.clear();
  }

  /** Pool ids with data on disk (for `status`). */
  public storedPoolIds(): string[] {
    if (!this.dataDir || !existsSync(this.dataDir)) return [];
    return readdirSync(this.dataDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length));
  }

  private load(poolId: string): PoolData | undefined {
    if (!this.dataDir || !existsSync(this.file(poolId))) return undefined;
    return rehydrate(JSON.parse(readFileSync(this.file(poolId), 'utf8')) as PoolData);
  }

  private file(poolId: string): string {
    return path.join(this.dataDir as string, `${poolId}.json`);
  }
}
