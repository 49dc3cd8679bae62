import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { CognitoError, invalidParameter, notAuthorized, userNotFound } from '../errors';
import { checkPassword, temporaryPassword } from '../password-policy';
import { createVerifier } from '../srp';
import { revokeUserSessions } from '../tokens';
import { runTrigger, triggerEvent, type TriggerInvoker } from '../triggers';
import {
  attributeMap,
  type AppClient,
  type CognitoUser,
  type PendingCode,
  type UserPool,
  type UserStatus,
} from '../user-pools';
import { checkRequired, checkWritable } from './attributes';
import type { PoolContext } from './pool-context';

/** Codes Cognito mails are valid 24 hours (confirmation) and 1 hour (password reset). */
const CONFIRMATION_CODE_MS = 24 * 3600 * 1000;
const RESET_CODE_MS = 3600 * 1000;
/** Wrong codes (over all of a user's codes, per hour) before LimitExceededException. */
const CODE_ATTEMPTS = 5;
/** Codes one user may be mailed per hour. */
const CODES_PER_WINDOW = 5;
const CODE_WINDOW_MS = 3600 * 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface CodeDelivery {
  Destination: string;
  DeliveryMedium: 'EMAIL';
  AttributeName: 'email';
}

/** The API's Username pattern: letters, marks, symbols, digits, punctuation; no spaces or control characters. */
function checkUsername(given: string): void {
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(given))
    throw invalidParameter(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
}

/** `ada@example.com` -> `a***@e***`, as Cognito masks a destination. */
function masked(email: string | undefined): CodeDelivery {
  const [local = '', domain = ''] = (email ?? '').split('@');
  return {
    Destination: `${local.charAt(0)}***@${domain.charAt(0)}***`,
    DeliveryMedium: 'EMAIL',
    AttributeName: 'email',
  };
}

function hashCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** The user as AdminGetUser / ListUsers / AdminCreateUser describe it (dates in epoch seconds, AWS JSON 1.1). */
export function describeUser(
  user: CognitoUser,
  attributeKey: 'Attributes' | 'UserAttributes' = 'Attributes',
) {
  return {
    Username: user.username,
    [attributeKey]: Object.entries({ sub: user.sub, ...user.attributes }).map(([Name, Value]) => ({
      Name,
      Value,
    })),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/**
 * The user lifecycle: sign-up and its confirmation, password reset and change, and the Admin calls. Codes and
 * temporary passwords (what Cognito would mail) are printed in the local cloud's log and kept only as hashes.
 */
export class Users {
  /** Users whose confirmation is running its trigger: a second confirmation waits its turn by failing. */
  private readonly confirming = new Set<string>();
  /** Names being signed up (pool/lower-cased name) while their triggers run. */
  private readonly signingUp = new Set<string>();

  public constructor(
    private readonly ctx: PoolContext,
    private readonly invoke: TriggerInvoker,
  ) {}

  public require(pool: UserPool, given: string): CognitoUser {
    const user = this.ctx.findUser(pool, given);
    if (!user) throw userNotFound();
    return user;
  }

  public async signUp(
    pool: UserPool,
    client: AppClient,
    given: string,
    password: string,
    attributes: Record<string, string>,
    validationData: Record<string, string>,
    clientMetadata: Record<string, string>,
  ) {
    const emailIsUsername = pool.config.usernameAttributes.includes('email');
    checkUsername(given);
    if (emailIsUsername && !EMAIL.test(given)) throw invalidParameter('Username should be an email.');
    const exists = () =>
      new CognitoError(
        'UsernameExistsException',
        emailIsUsername ? 'An account with the given email already exists.' : 'User already exists',
      );
    // Reserved from here to the end: two sign-ups of one name cannot both pass the check while a trigger runs.
    const reservation = `${pool.config.id}/${given.toLowerCase()}`;
    if (this.ctx.findUser(pool, given) || this.signingUp.has(reservation)) throw exists();
    checkPassword(pool.config.passwordPolicy, password);
    checkWritable(pool, attributes, { client });
    const sub = randomUUID();
    const username = emailIsUsername ? sub : given;
    const userAttributes = attributeMap({ ...attributes, ...(emailIsUsername ? { email: given } : {}) });
    checkRequired(pool, userAttributes);
    this.signingUp.add(reservation);
    try {
      return await this.createSignedUp(
        pool,
        client,
        given,
        username,
        sub,
        password,
        userAttributes,
        validationData,
        clientMetadata,
        exists,
      );
    } finally {
      this.signingUp.delete(reservation);
    }
  }

  private async createSignedUp(
    pool: UserPool,
    client: AppClient,
    given: string,
    username: string,
    sub: string,
    password: string,
    userAttributes: Record<string, string>,
    validationData: Record<string, string>,
    clientMetadata: Record<string, string>,
    exists: () => CognitoError,
  ) {
    const pre = await runTrigger(
      this.invoke,
      pool,
      'PreSignUp',
      triggerEvent(
        pool,
        username,
        client.clientId,
        'PreSignUp_SignUp',
        {
          userAttributes: { ...userAttributes },
          validationData,
          clientMetadata,
        },
        { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      ),
    );
    if (this.ctx.findUser(pool, given)) throw exists();
    const autoConfirm = pre?.response.autoConfirmUser === true;
    if (pre?.response.autoVerifyEmail === true && userAttributes.email)
      userAttributes.email_verified = 'true';
    const now = this.ctx.nowMs();
    const user: CognitoUser = {
      username,
      sub,
      attributes: userAttributes,
      status: 'UNCONFIRMED',
      enabled: true,
      createdAt: now,
      updatedAt: now,
      password: createVerifier(this.ctx.poolName(pool), username, password),
      groups: [],
      failedSignIns: 0,
    };
    if (autoConfirm) {
      // An auto-confirmed user reaches PostConfirmation at sign-up; if it fails, there is no user.
      await this.confirm(pool, user, client.clientId, 'PostConfirmation_ConfirmSignUp', false, () => {
        if (this.ctx.findUser(pool, given)) throw exists();
        pool.data.users[username] = user;
      });
    } else {
      pool.data.users[username] = user;
      user.confirmationCode = this.newCode(pool, user, 'confirmation', CONFIRMATION_CODE_MS);
    }
    this.ctx.changed(pool);
    return {
      UserConfirmed: autoConfirm,
      UserSub: sub,
      ...(autoConfirm ? {} : { CodeDeliveryDetails: masked(user.attributes.email) }),
    };
  }

  public async confirmSignUp(pool: UserPool, client: AppClient, given: string, code: string): Promise<void> {
    const user = this.ctx.findUser(pool, given);
    if (!user) throw client.preventUserExistenceErrors === 'ENABLED' ? this.codeMismatch() : userNotFound();
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    this.checkCode(pool, user, 'confirmationCode', code);
    await this.confirm(pool, user, client.clientId, 'PostConfirmation_ConfirmSignUp', true, () => {
      delete user.confirmationCode;
    });
  }

  public async adminConfirmSignUp(pool: UserPool, given: string): Promise<void> {
    const user = this.require(pool, given);
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    // No code reached the user's inbox, so the email stays unverified (as AdminConfirmSignUp leaves it on AWS).
    await this.confirm(pool, user, undefined, 'PostConfirmation_ConfirmSignUp', false, () => {
      delete user.confirmationCode;
    });
  }

  public resendConfirmationCode(pool: UserPool, client: AppClient, given: string) {
    const user = this.ctx.findUser(pool, given);
    if (!user) {
      if (client.preventUserExistenceErrors === 'ENABLED') return { CodeDeliveryDetails: masked(given) };
      throw userNotFound();
    }
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
    user.confirmationCode = this.newCode(pool, user, 'confirmation', CONFIRMATION_CODE_MS);
    this.ctx.changed(pool);
    return { CodeDeliveryDetails: masked(user.attributes.email) };
  }

  public forgotPassword(pool: UserPool, client: AppClient, given: string) {
    const user = this.ctx.findUser(pool, given);
    if (!user) {
      if (client.preventUserExistenceErrors === 'ENABLED') return { CodeDeliveryDetails: masked(given) };
      throw userNotFound();
    }
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (!pool.config.selfServiceRecovery)
      throw notAuthorized(
        'The pool’s AccountRecoverySetting is admin_only: an administrator resets passwords',
      );
    if (user.attributes.email === undefined || user.attributes.email_verified !== 'true')
      throw invalidParameter(
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    user.resetCode = this.newCode(pool, user, 'password reset', RESET_CODE_MS);
    this.ctx.changed(pool);
    return { CodeDeliveryDetails: masked(user.attributes.email) };
  }

  public async confirmForgotPassword(
    pool: UserPool,
    client: AppClient,
    given: string,
    code: string,
    password: string,
  ): Promise<void> {
    const user = this.ctx.findUser(pool, given);
    if (!user) throw client.preventUserExistenceErrors === 'ENABLED' ? this.codeMismatch() : userNotFound();
    this.checkCode(pool, user, 'resetCode', code);
    checkPassword(pool.config.passwordPolicy, password);
    await this.confirm(pool, user, client.clientId, 'PostConfirmation_ConfirmForgotPassword', false, () => {
      delete user.resetCode;
      user.password = createVerifier(this.ctx.poolName(pool), user.username, password);
    });
  }

  public changePassword(pool: UserPool, user: CognitoUser, proposed: string): void {
    checkPassword(pool.config.passwordPolicy, proposed);
    user.password = createVerifier(this.ctx.poolName(pool), user.username, proposed);
    user.updatedAt = this.ctx.nowMs();
    this.ctx.changed(pool);
  }

  public adminCreateUser(
    pool: UserPool,
    given: string,
    attributes: Record<string, string>,
    temporary: string | undefined,
    messageAction: string | undefined,
  ) {
    if (messageAction !== undefined && messageAction !== 'SUPPRESS' && messageAction !== 'RESEND')
      throw invalidParameter(
        `1 validation error detected: Value '${messageAction.slice(0, 20)}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`,
      );
    const emailIsUsername = pool.config.usernameAttributes.includes('email');
    const existing = this.ctx.findUser(pool, given);
    if (messageAction === 'RESEND') {
      if (!existing) throw userNotFound();
      if (existing.status !== 'FORCE_CHANGE_PASSWORD')
        throw new CognitoError(
          'UnsupportedUserStateException',
          `Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD`,
        );
      this.setTemporaryPassword(pool, existing, temporary);
      return { User: describeUser(existing) };
    }
    if (existing) throw new CognitoError('UsernameExistsException', 'User account already exists');
    checkUsername(given);
    if (emailIsUsername && !EMAIL.test(given)) throw invalidParameter('Username should be an email.');
    checkWritable(pool, attributes, 'admin');
    const sub = randomUUID();
    const username = emailIsUsername ? sub : given;
    const now = this.ctx.nowMs();
    const user: CognitoUser = {
      username,
      sub,
      attributes: attributeMap({ ...attributes, ...(emailIsUsername ? { email: given } : {}) }),
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      createdAt: now,
      updatedAt: now,
      password: { salt: '00', verifier: '00' },
      groups: [],
      failedSignIns: 0,
    };
    checkRequired(pool, user.attributes);
    this.setTemporaryPassword(pool, user, temporary);
    pool.data.users[username] = user;
    this.ctx.changed(pool);
    return { User: describeUser(user) };
  }

  public adminSetUserPassword(pool: UserPool, given: string, password: string, permanent: boolean): void {
    const user = this.require(pool, given);
    checkPassword(pool.config.passwordPolicy, password);
    user.password = createVerifier(this.ctx.poolName(pool), user.username, password);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    if (permanent) delete user.temporaryPasswordExpiresAt;
    else user.temporaryPasswordExpiresAt = this.ctx.nowMs() + this.temporaryValidityMs(pool);
    user.updatedAt = this.ctx.nowMs();
    this.ctx.changed(pool);
  }

  public adminDeleteUser(pool: UserPool, given: string): void {
    const user = this.require(pool, given);
    revokeUserSessions(pool, user.username, this.ctx.nowSeconds());
    delete pool.data.users[user.username];
    this.ctx.changed(pool);
  }

  /** Disabling also revokes the user's tokens (API_AdminDisableUser: "revokes all access tokens for the user"). */
  public setEnabled(pool: UserPool, given: string, enabled: boolean): void {
    const user = this.require(pool, given);
    user.enabled = enabled;
    if (!enabled) revokeUserSessions(pool, user.username, this.ctx.nowSeconds());
    user.updatedAt = this.ctx.nowMs();
    this.ctx.changed(pool);
  }

  public setGroup(pool: UserPool, given: string, groupName: string, member: boolean): void {
    const user = this.require(pool, given);
    if (!pool.config.groups.some((group) => group.groupName === groupName))
      throw new CognitoError('ResourceNotFoundException', 'Group not found.');
    user.groups = user.groups.filter((name) => name !== groupName);
    if (member) user.groups.push(groupName);
    user.updatedAt = this.ctx.nowMs();
    this.ctx.changed(pool);
  }

  /** Runs PostConfirmation with the user as it will be, and commits only if it succeeds: nothing half-done. */
  private async confirm(
    pool: UserPool,
    user: CognitoUser,
    clientId: string | undefined,
    triggerSource: string,
    /** A code mailed to the email confirmed it (when the pool auto-verifies email). */
    verifiesEmail: boolean,
    commit: () => void,
  ): Promise<void> {
    const key = `${pool.config.id}/${user.username}`;
    if (this.confirming.has(key))
      throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    this.confirming.add(key);
    try {
      const status: UserStatus = 'CONFIRMED';
      const attributes = { ...user.attributes };
      if (
        verifiesEmail &&
        attributes.email !== undefined &&
        pool.config.autoVerifiedAttributes.includes('email')
      )
        attributes.email_verified = 'true';
      await runTrigger(
        this.invoke,
        pool,
        'PostConfirmation',
        triggerEvent(pool, user.username, clientId, triggerSource, {
          userAttributes: { sub: user.sub, ...attributes, 'cognito:user_status': status },
        }),
      );
      commit();
      user.attributes = attributes;
      user.status = status;
      user.updatedAt = this.ctx.nowMs();
      this.ctx.changed(pool);
    } finally {
      this.confirming.delete(key);
    }
  }

  private newCode(pool: UserPool, user: CognitoUser, purpose: string, validMs: number): PendingCode {
    // A new code does not buy new guesses: codes per user per hour are capped (and wrong guesses counted over all
    // of them, in checkCode), or asking again and again would brute-force six digits.
    const now = this.ctx.nowMs();
    const recent = (user.codesMailedAt ?? []).filter((at) => now - at < CODE_WINDOW_MS);
    if (recent.length >= CODES_PER_WINDOW)
      throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    user.codesMailedAt = [...recent, now];
    const code = String(randomInt(1_000_000)).padStart(6, '0');
    this.ctx.log(
      `cognito ${pool.config.id}: ${purpose} code for ${user.attributes.email ?? user.username}: ${code} (the mail Cognito would send)`,
    );
    return { sha256: hashCode(code), expiresAt: this.ctx.nowMs() + validMs, failures: 0 };
  }

  private checkCode(
    pool: UserPool,
    user: CognitoUser,
    which: 'confirmationCode' | 'resetCode',
    code: string,
  ): void {
    const pending = user[which];
    if (!pending) throw this.codeMismatch();
    const now = this.ctx.nowMs();
    if (user.codeFailures && now - user.codeFailures.since >= CODE_WINDOW_MS) delete user.codeFailures;
    if (pending.failures >= CODE_ATTEMPTS || (user.codeFailures?.count ?? 0) >= CODE_ATTEMPTS)
      throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    if (pending.expiresAt < this.ctx.nowMs())
      throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    const given = Buffer.from(hashCode(code), 'hex');
    if (!timingSafeEqual(given, Buffer.from(pending.sha256, 'hex'))) {
      pending.failures += 1;
      user.codeFailures = {
        count: (user.codeFailures?.count ?? 0) + 1,
        since: user.codeFailures?.since ?? now,
      };
      this.ctx.changed(pool);
      throw this.codeMismatch();
    }
  }

  private codeMismatch(): CognitoError {
    return new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  }

  private setTemporaryPassword(pool: UserPool, user: CognitoUser, given: string | undefined): void {
    if (given !== undefined) checkPassword(pool.config.passwordPolicy, given);
    const password = given ?? temporaryPassword(pool.config.passwordPolicy);
    // A password the caller chose, the caller knows; one made here is "mailed", i.e. printed.
    if (given === undefined)
      this.ctx.log(
        `cognito ${pool.config.id}: temporary password for ${user.attributes.email ?? user.username}: ${password} (the invitation Cognito would send)`,
      );
    user.password = createVerifier(this.ctx.poolName(pool), user.username, password);
    user.temporaryPasswordExpiresAt = this.ctx.nowMs() + this.temporaryValidityMs(pool);
    user.updatedAt = this.ctx.nowMs();
  }

  private temporaryValidityMs(pool: UserPool): number {
    return pool.config.passwordPolicy.temporaryPasswordValidityDays * 24 * 3600 * 1000;
  }
}
