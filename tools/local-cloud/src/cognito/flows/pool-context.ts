import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock/clock';
import { notAuthorized } from '../errors';
import type { AppClient, CognitoUser, UserPool, UserPools } from '../user-pools';

/** What every Cognito operation needs: the pools, the cloud's clock and log, and the lookups all flows share. */
export class PoolContext {
  public constructor(
    public readonly pools: UserPools,
    private readonly clock: Clock,
    public readonly log: (line: string) => void,
  ) {}

  public nowMs(): number {
    return this.clock.now().getTime();
  }

  public nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  public changed(pool: UserPool): void {
    this.pools.changed(pool);
  }

  /** The part of the pool id after `_`: SRP's "pool name" (amazon-cognito-identity-js `getUserPoolName`). */
  public poolName(pool: UserPool): string {
    return pool.config.id.split('_')[1] ?? pool.config.id;
  }

  /**
   * The user a sign-in names: by user name, or by email when email is the username (or an alias), case-
   * insensitively unless the pool's UsernameConfiguration says CaseSensitive.
   */
  public findUser(pool: UserPool, given: string): CognitoUser | undefined {
    const { users } = pool.data;
    const direct = Object.hasOwn(users, given) ? users[given] : undefined;
    if (direct) return direct;
    const fold = (text: string) => (pool.config.caseSensitive ? text : text.toLowerCase());
    const wanted = fold(given);
    const byEmail = pool.config.usernameAttributes.includes('email');
    for (const user of Object.values(users)) {
      if (fold(user.username) === wanted) return user;
      if (
        byEmail &&
        user.attributes.email !== undefined &&
        user.attributes.email.toLowerCase() === given.toLowerCase()
      )
        return user;
    }
    return undefined;
  }

  /** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)) (research notes B2). */
  public secretHashMatches(client: AppClient, username: string, given: string | undefined): boolean {
    if (client.clientSecret === undefined || given === undefined) return false;
    const expected = createHmac('sha256', client.clientSecret)
      .update(`${username}${client.clientId}`)
      .digest();
    const actual = Buffer.from(given, 'base64');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** For a client with a secret, the hash must be there and right; a client without one ignores it. */
  public checkSecretHash(client: AppClient, username: string, given: string | undefined): void {
    if (client.clientSecret === undefined) return;
    if (given === undefined || given === '')
      throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
    if (!this.secretHashMatches(client, username, given))
      throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
  }
}
