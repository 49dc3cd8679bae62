import type { CredentialRecord } from '@sigv4-auth/sigv4-verifier';
import { newAccessKeyId, newSecretAccessKey, newSessionToken } from './credentials';
import type { NamedPolicy } from '../iam';
import type { Caller, IamRole, IamUser, RoleSession } from './types';

/**
 * The local IAM: users with long-term keys, roles, and the temporary sessions STS issued for them.
 * Lookups by access key are O(1): every signed request goes through `lookupCredential` and `callerFor`.
 */
export class IdentityStore {
  private readonly users = new Map<string, IamUser>();
  private readonly roles = new Map<string, IamRole>();
  private readonly userKeys = new Map<string, { user: IamUser; secretAccessKey: string }>();
  private readonly sessions = new Map<string, RoleSession>();
  private lastPrune = 0;

  /** Live role sessions (expired ones until pruned). */
  public sessionCount(): number {
    return this.sessions.size;
  }

  /** Every session not yet pruned (tests check that no log line carries their secrets). */
  public listSessions(): RoleSession[] {
    return [...this.sessions.values()];
  }

  public putUser(user: IamUser): void {
    this.users.set(user.arn, user);
    for (const key of user.accessKeys)
      this.userKeys.set(key.accessKeyId, { user, secretAccessKey: key.secretAccessKey });
  }

  public putRole(role: IamRole): void {
    this.roles.set(role.arn, role);
  }

  /** Removes a role; its sessions stop working at once (their policies are gone). */
  public removeRole(arn: string): void {
    this.roles.delete(arn);
    for (const [keyId, session] of this.sessions) if (session.roleArn === arn) this.sessions.delete(keyId);
  }

  public role(arn: string): IamRole | undefined {
    return this.roles.get(arn);
  }

  public listRoles(): IamRole[] {
    return [...this.roles.values()];
  }

  public listUsers(): IamUser[] {
    return [...this.users.values()];
  }

  public issueSession(
    role: IamRole,
    sessionName: string,
    durationSeconds: number,
    now: Date,
    options: { sessionPolicy?: NamedPolicy; chained?: boolean } = {},
  ): RoleSession {
    this.pruneSessions(now);
    const session: RoleSession = {
      kind: 'session',
      roleArn: role.arn,
      sessionName,
      sessionPolicy: options.sessionPolicy,
      chained: options.chained ?? false,
      accessKeyId: newAccessKeyId('ASIA'),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      expiresAt: new Date(now.getTime() + durationSeconds * 1000),
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /**
   * Forgets sessions that expired more than `graceMs` ago (kept a while so callers get "expired", not "invalid").
   * Runs on every issue, at most once a minute.
   */
  public pruneSessions(now: Date, graceMs = 60 * 60 * 1000): void {
    if (now.getTime() - this.lastPrune < 60_000) return;
    this.lastPrune = now.getTime();
    for (const [keyId, session] of this.sessions) {
      if (session.expiresAt.getTime() + graceMs < now.getTime()) this.sessions.delete(keyId);
    }
  }

  /** What SigV4 verification needs: the secret, and for sessions the token and expiry. */
  public lookupCredential(accessKeyId: string): CredentialRecord | undefined {
    const userKey = this.userKeys.get(accessKeyId);
    if (userKey) return { secretAccessKey: userKey.secretAccessKey };
    const session = this.sessions.get(accessKeyId);
    if (session && this.roles.has(session.roleArn)) {
      return {
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiresAt: session.expiresAt,
      };
    }
    return undefined;
  }

  /** The principal and identity policies behind a (verified) access key. */
  public callerFor(accessKeyId: string): Caller | undefined {
    const userKey = this.userKeys.get(accessKeyId);
    if (userKey) {
      const { user } = userKey;
      return {
        principal: {
          arn: user.arn,
          accountId: user.accountId,
          type: 'User',
          userName: user.name,
          userId: user.userId,
          tags: user.tags,
        },
        identityPolicies: user.policies,
        callerId: user.userId,
        accessKeyId,
      };
    }
    const session = this.sessions.get(accessKeyId);
    const role = session && this.roles.get(session.roleArn);
    if (!session || !role) return undefined;
    const callerId = `${role.roleId}:${session.sessionName}`;
    return {
      principal: {
        arn: assumedRoleArn(role, session.sessionName),
        accountId: role.accountId,
        type: 'AssumedRole',
        roleArn: role.arn,
        userId: callerId,
        tags: role.tags,
      },
      identityPolicies: role.policies,
      sessionPolicies: session.sessionPolicy && [session.sessionPolicy],
      callerId,
      accessKeyId,
    };
  }
}

/** `arn:aws:sts::{account}:assumed-role/{role name}/{session name}` (the role's path is not part of it). */
export function assumedRoleArn(role: IamRole, sessionName: string): string {
  return `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
}
