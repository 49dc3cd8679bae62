import { randomBytes, randomUUID } from 'node:crypto';
import { CognitoError, incorrectCredentials, invalidParameter, notAuthorized, userNotFound } from '../errors';
import { required } from '../input';
import { checkPassword } from '../password-policy';
import {
  claimMatches,
  createVerifier,
  passwordMatches,
  startExchange,
  type PasswordVerifier,
  type SrpExchange,
} from '../srp';
import { issueUserTokens, type IssuedTokens } from '../tokens';
import { attributeMap, sha256, type AppClient, type CognitoUser, type UserPool } from '../user-pools';
import { checkWritable } from './attributes';
import type { PoolContext } from './pool-context';

/** Wrong passwords in a row before the lockouts start. */
const FREE_FAILURES = 5;
/** The lockout doubles per further failure, from 1 s up to 15 min; the right password works again after it. */
const MAX_LOCKOUT_SECONDS = 900;

export type AuthResponse =
  | { AuthenticationResult: IssuedTokens; ChallengeParameters: Record<string, string> }
  | { ChallengeName: string; ChallengeParameters: Record<string, string>; Session?: string };

interface PendingSrp {
  poolId: string;
  clientId: string;
  /** Undefined for a user that does not exist (PreventUserExistenceErrors: the challenge is a decoy). */
  username?: string;
  exchange?: SrpExchange;
  expiresAt: number;
}

interface PendingNewPassword {
  poolId: string;
  clientId: string;
  username: string;
  sub: string;
  expiresAt: number;
}

/**
 * Sign-in: the flows of InitiateAuth / AdminInitiateAuth and their challenges (RespondToAuthChallenge).
 * Each flow only where the app client's ExplicitAuthFlows allow it; wrong passwords throttled per user.
 */
export class SignIn {
  /** Keyed by SECRET_BLOCK (single use, valid for the client's AuthSessionValidity). */
  private readonly srp = new Map<string, PendingSrp>();
  /** Keyed by Session. */
  private readonly newPassword = new Map<string, PendingNewPassword>();

  public constructor(private readonly ctx: PoolContext) {}

  public async initiate(
    pool: UserPool,
    client: AppClient,
    flow: string,
    params: Record<string, string>,
    admin: boolean,
  ): Promise<AuthResponse> {
    const allow = (name: string, message: string) => {
      if (!client.explicitAuthFlows.includes(name)) throw invalidParameter(message);
    };
    switch (flow) {
      case 'USER_PASSWORD_AUTH':
        if (admin) break;
        allow('ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client');
        return this.withPassword(pool, client, params);
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH':
        if (!admin) break;
        allow('ALLOW_ADMIN_USER_PASSWORD_AUTH', 'Auth flow not enabled for this client');
        return this.withPassword(pool, client, params);
      case 'USER_SRP_AUTH':
        allow('ALLOW_USER_SRP_AUTH', 'USER_SRP_AUTH is not enabled for the client.');
        return this.startSrp(pool, client, params);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        allow('ALLOW_REFRESH_TOKEN_AUTH', 'Refresh Token flow not enabled for this client');
        return this.refresh(pool, client, params);
      case 'CUSTOM_AUTH':
        throw invalidParameter(
          'CUSTOM_AUTH (DefineAuthChallenge/CreateAuthChallenge/VerifyAuthChallengeResponse triggers) is not emulated by the local cloud',
        );
      default:
        break;
    }
    const flows = admin
      ? 'USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH'
      : 'USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, USER_PASSWORD_AUTH';
    throw invalidParameter(
      `1 validation error detected: Value '${flow.slice(0, 40)}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${flows}]`,
    );
  }

  public async respond(
    pool: UserPool,
    client: AppClient,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
  ): Promise<AuthResponse> {
    if (challenge === 'PASSWORD_VERIFIER') return this.verifySrp(pool, client, responses);
    if (challenge === 'NEW_PASSWORD_REQUIRED') return this.setNewPassword(pool, client, responses, session);
    throw invalidParameter(
      `The local cloud answers the challenges PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED, not ${challenge.slice(0, 40)}`,
    );
  }

  private async withPassword(
    pool: UserPool,
    client: AppClient,
    params: Record<string, string>,
  ): Promise<AuthResponse> {
    const given = required(params, 'USERNAME');
    const password = required(params, 'PASSWORD');
    this.ctx.checkSecretHash(client, given, params.SECRET_HASH);
    const user = this.ctx.findUser(pool, given);
    if (!user) {
      // As much work as for a real user: the time taken does not tell whether the user exists.
      passwordMatches(this.decoy(pool, given).password, this.ctx.poolName(pool), given, password);
      throw this.unknownUser(client);
    }
    this.provePassword(pool, user, password);
    return this.signedIn(pool, client, user);
  }

  private startSrp(pool: UserPool, client: AppClient, params: Record<string, string>): AuthResponse {
    const given = required(params, 'USERNAME');
    const clientPublic = required(params, 'SRP_A');
    this.ctx.checkSecretHash(client, given, params.SECRET_HASH);
    const user = this.ctx.findUser(pool, given);
    if (!user && client.preventUserExistenceErrors !== 'ENABLED') throw userNotFound();
    // An unknown user gets a challenge like a real one's, the same at every call (its salt and id derive from the
    // name): a caller cannot tell the two apart before proving a password.
    const decoy = this.decoy(pool, given);
    const exchange = startExchange(user?.password ?? decoy.password, clientPublic);
    if (!exchange) throw invalidParameter('SRP_A is not a valid SRP public value');
    const secretBlock = randomBytes(64).toString('base64');
    this.prune(this.srp);
    this.srp.set(secretBlock, {
      poolId: pool.config.id,
      clientId: client.clientId,
      username: user?.username,
      exchange: user ? exchange : undefined,
      expiresAt: this.ctx.nowMs() + client.authSessionValiditySeconds * 1000,
    });
    const username = user?.username ?? decoy.username;
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: user?.password.salt ?? decoy.password.salt,
        SECRET_BLOCK: secretBlock,
        SRP_B: exchange.serverPublic,
        USERNAME: username,
        USER_ID_FOR_SRP: username,
      },
    };
  }

  private async verifySrp(
    pool: UserPool,
    client: AppClient,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const given = required(responses, 'USERNAME');
    const secretBlock = required(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
    const signature = required(responses, 'PASSWORD_CLAIM_SIGNATURE');
    const timestamp = required(responses, 'TIMESTAMP');
    this.ctx.checkSecretHash(client, given, responses.SECRET_HASH);
    const pending = this.srp.get(secretBlock);
    // Single use: a claim is checked once, right or wrong.
    this.srp.delete(secretBlock);
    if (!pending || pending.poolId !== pool.config.id || pending.clientId !== client.clientId)
      throw notAuthorized('Invalid session for the user, session is expired.');
    if (pending.expiresAt < this.ctx.nowMs())
      throw notAuthorized('Invalid session for the user, session is expired.');
    const user = pending.username === undefined ? undefined : pool.data.users[pending.username];
    if (!user || !pending.exchange) throw incorrectCredentials();
    if (given !== user.username && this.ctx.findUser(pool, given) !== user) throw incorrectCredentials();
    this.checkNotLocked(user);
    const proven = claimMatches(
      pending.exchange,
      this.ctx.poolName(pool),
      user.username,
      Buffer.from(secretBlock, 'base64'),
      timestamp,
      signature,
    );
    if (!proven) throw this.wrongPassword(pool, user);
    return this.signedIn(pool, client, user);
  }

  private async setNewPassword(
    pool: UserPool,
    client: AppClient,
    responses: Record<string, string>,
    session: string | undefined,
  ): Promise<AuthResponse> {
    const given = required(responses, 'USERNAME');
    const password = required(responses, 'NEW_PASSWORD');
    this.ctx.checkSecretHash(client, given, responses.SECRET_HASH);
    const pending = session === undefined ? undefined : this.newPassword.get(session);
    if (
      !pending ||
      pending.poolId !== pool.config.id ||
      pending.clientId !== client.clientId ||
      pending.expiresAt < this.ctx.nowMs()
    )
      throw notAuthorized('Invalid session for the user, session is expired.');
    const user = pool.data.users[pending.username];
    // The session is for this user as it was: deleted and re-created, disabled, or already changed, it is void.
    if (
      !user ||
      user.sub !== pending.sub ||
      user.status !== 'FORCE_CHANGE_PASSWORD' ||
      (given !== user.username && this.ctx.findUser(pool, given) !== user)
    )
      throw notAuthorized('Invalid session for the user, session is expired.');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    checkPassword(pool.config.passwordPolicy, password);
    const changes = attributeMap();
    for (const [key, value] of Object.entries(responses))
      if (key.startsWith('userAttributes.')) changes[key.slice('userAttributes.'.length)] = value;
    checkWritable(pool, changes, { client });
    const email = changes.email;
    if (email !== undefined && email.toLowerCase() !== (user.attributes.email ?? '').toLowerCase()) {
      const holder = this.ctx.findUser(pool, email);
      if (holder && holder !== user)
        throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
      // A new address is not verified until a code sent to it comes back.
      changes.email_verified = 'false';
    }
    this.newPassword.delete(session as string);
    Object.assign(user.attributes, changes);
    user.password = createVerifier(this.ctx.poolName(pool), user.username, password);
    user.status = 'CONFIRMED';
    delete user.temporaryPasswordExpiresAt;
    user.updatedAt = this.ctx.nowMs();
    return this.signedIn(pool, client, user);
  }

  private async refresh(
    pool: UserPool,
    client: AppClient,
    params: Record<string, string>,
  ): Promise<AuthResponse> {
    const token = required(params, 'REFRESH_TOKEN');
    const record = pool.data.refreshTokens[sha256(token)];
    if (!record || record.clientId !== client.clientId) throw notAuthorized('Invalid Refresh Token');
    const user = pool.data.users[record.username];
    if (!user || user.sub !== record.sub) throw notAuthorized('Invalid Refresh Token');
    // The client's secret before anything about the token's state is told.
    if (client.clientSecret !== undefined) {
      // The hash of a secret client's refresh is over the user's name: the internal one or the one signed in with.
      const candidates = [user.username, user.attributes.email].filter((name): name is string =>
        Boolean(name),
      );
      if (!candidates.some((name) => this.ctx.secretHashMatches(client, name, params.SECRET_HASH)))
        this.ctx.checkSecretHash(client, user.username, params.SECRET_HASH);
    }
    if (record.revoked) throw notAuthorized('Refresh Token has been revoked');
    const now = this.ctx.nowSeconds();
    if (record.expiresAt <= now) throw notAuthorized('Refresh Token has expired');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    const tokens = await issueUserTokens(pool, client, user, now, {
      authTime: record.authTime,
      originJti: record.originJti,
      withRefreshToken: false,
    });
    return { AuthenticationResult: tokens, ChallengeParameters: {} };
  }

  /** After the password is proven: the user's state decides between tokens and a challenge. */
  private async signedIn(pool: UserPool, client: AppClient, user: CognitoUser): Promise<AuthResponse> {
    user.failedSignIns = 0;
    delete user.lockedUntil;
    this.ctx.changed(pool);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (user.status === 'UNCONFIRMED')
      throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.status === 'RESET_REQUIRED')
      throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if ((user.temporaryPasswordExpiresAt ?? Infinity) < this.ctx.nowMs())
        throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
      const session = randomBytes(96).toString('base64');
      this.prune(this.newPassword);
      this.newPassword.set(session, {
        poolId: pool.config.id,
        clientId: client.clientId,
        username: user.username,
        sub: user.sub,
        expiresAt: this.ctx.nowMs() + client.authSessionValiditySeconds * 1000,
      });
      const visible = Object.fromEntries(
        Object.entries(user.attributes).filter(([name]) => name !== 'sub' && !name.endsWith('_verified')),
      );
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.username,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(visible),
        },
      };
    }
    const now = this.ctx.nowSeconds();
    const tokens = await issueUserTokens(pool, client, user, now, {
      authTime: now,
      originJti: randomUUID(),
      withRefreshToken: true,
    });
    this.ctx.changed(pool);
    return { AuthenticationResult: tokens, ChallengeParameters: {} };
  }

  /** A password of the user (a sign-in, ChangePassword's PreviousPassword), checked and throttled. */
  public provePassword(pool: UserPool, user: CognitoUser, password: string): void {
    this.checkNotLocked(user);
    if (!passwordMatches(user.password, this.ctx.poolName(pool), user.username, password))
      throw this.wrongPassword(pool, user);
    user.failedSignIns = 0;
  }

  private unknownUser(client: AppClient): CognitoError {
    return client.preventUserExistenceErrors === 'ENABLED' ? incorrectCredentials() : userNotFound();
  }

  /** Attempts during a lockout are not checked and not counted. */
  private checkNotLocked(user: CognitoUser): void {
    if (user.lockedUntil !== undefined && user.lockedUntil > this.ctx.nowMs())
      throw notAuthorized('Password attempts exceeded');
  }

  /**
   * Counts a wrong password. From the fifth in a row the user is locked out, 1 s, doubling with each further
   * failure up to 15 minutes; 15 minutes without a wrong password forget the count
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior).
   */
  private wrongPassword(pool: UserPool, user: CognitoUser): CognitoError {
    const now = this.ctx.nowMs();
    if (user.lastFailedSignInAt !== undefined && now - user.lastFailedSignInAt >= MAX_LOCKOUT_SECONDS * 1000)
      user.failedSignIns = 0;
    user.failedSignIns += 1;
    user.lastFailedSignInAt = now;
    this.ctx.changed(pool);
    if (user.failedSignIns >= FREE_FAILURES) {
      const seconds = Math.min(2 ** (user.failedSignIns - FREE_FAILURES), MAX_LOCKOUT_SECONDS);
      user.lockedUntil = now + seconds * 1000;
      this.ctx.log(
        `user ${user.username} of ${pool.config.id}: ${user.failedSignIns} wrong passwords in a row, locked for ${seconds} s`,
      );
    }
    return incorrectCredentials();
  }

  /** What an unknown name is answered with: a salt and user id derived from it, stable across calls. */
  private decoy(pool: UserPool, given: string): { username: string; password: PasswordVerifier } {
    const seed = this.ctx.pools.derive(`decoy/${pool.config.id}/${given.toLowerCase()}`);
    const hex = seed.toString('hex');
    const username = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    return { username, password: { salt: hex.slice(32, 64), verifier: randomBytes(384).toString('hex') } };
  }

  private prune(map: Map<string, { expiresAt: number }>): void {
    if (map.size < 10_000) return;
    const now = this.ctx.nowMs();
    for (const [key, value] of map) if (value.expiresAt < now) map.delete(key);
  }
}
