import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock/clock';
import type { MetricStore } from '../cloudwatch';
import type { Authenticator } from '../http/authenticate';
import { explained, jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import { jsonProtocolError } from '../http/sigv4-wire-errors';
import { authorize, accessDeniedMessage } from '../iam';
import { iamDecision, refusedBy } from '../requests';
import { CognitoError, invalidParameter, resourceNotFound } from './errors';
import { PoolContext } from './flows/pool-context';
import { SignIn } from './flows/sign-in';
import { readableBy } from './flows/attributes';
import { describeUser, Users } from './flows/users';
import { Input } from './input';
import { revokeRefreshToken, revokeUserSessions, verifyAccessToken } from './tokens';
import type { TriggerInvoker } from './triggers';
import { sha256, type AppClient, type CognitoUser, type UserPool, type UserPools } from './user-pools';

export const COGNITO_TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = { 'content-type': 'application/x-amz-json-1.1' };
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** Cognito operations that sign a user in (or refresh): where SignInSuccesses and TokenRefreshSuccesses come from. */
const SIGN_IN_OPERATIONS = new Set([
  'InitiateAuth',
  'AdminInitiateAuth',
  'RespondToAuthChallenge',
  'AdminRespondToAuthChallenge',
]);

/** What a call got as far as: its parsed input, and the operation's output when it had one. */
interface Seen {
  input?: Input;
  output?: unknown;
}

type Operation = (input: Input, caller: SignedCaller | undefined) => Promise<unknown> | unknown;
interface SignedCaller {
  principal: { arn: string };
}

/**
 * `cognito-idp` on AWS JSON 1.1 (`X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`), for the SDK v3
 * client, boto3 and `aws cognito-idp --endpoint-url` unchanged. The operations the SDK sends unsigned
 * (Smithy `noAuth`, research notes B1) take no credentials: they are authorized by the client id, a password,
 * a code or an access token. Every other operation needs SigV4 and the IAM engine's Allow for
 * `cognito-idp:<Op>` on the pool's ARN, like every other service of the local cloud.
 */
export class CognitoService {
  private readonly ctx: PoolContext;
  private readonly signIn: SignIn;
  private readonly users: Users;
  private readonly unsigned: Record<string, Operation>;
  private readonly signed: Record<string, Operation>;

  public constructor(
    private readonly pools: UserPools,
    private readonly authenticator: Authenticator,
    clock: Clock,
    private readonly log: (line: string) => void,
    invoke: TriggerInvoker,
    /** Where SignInSuccesses and TokenRefreshSuccesses go (AWS/Cognito). */
    private readonly metrics?: MetricStore,
  ) {
    this.ctx = new PoolContext(pools, clock, log);
    this.signIn = new SignIn(this.ctx);
    this.users = new Users(this.ctx, invoke);
    this.unsigned = this.unsignedOperations();
    this.signed = this.signedOperations();
  }

  public async handle(request: IncomingRequest): Promise<OutgoingResponse> {
    const operation = (request.headers['x-amz-target'] ?? '').slice(COGNITO_TARGET_PREFIX.length);
    const seen: Seen = {};
    const response = await this.respond(request, operation, seen);
    if (SIGN_IN_OPERATIONS.has(operation) && seen.input)
      this.recordSignIn(seen, response.status, request.receivedAt);
    return response;
  }

  /**
   * A sign-in's outcome as Cognito publishes it: `SignInSuccesses` 1 when tokens are issued, 0 when refused (a
   * challenge on the way is neither); `TokenRefreshSuccesses` alike for refresh tokens. Dimensions UserPool and
   * UserPoolClient (https://docs.aws.amazon.com/cognito/latest/developerguide/metrics-for-cognito-user-pools.html).
   */
  private recordSignIn({ input, output }: Seen, status: number, at: Date): void {
    if (!this.metrics || !input) return;
    const read = (name: string) => {
      try {
        return input.optionalString(name);
      } catch {
        return undefined; // not a string: refused by the operation itself
      }
    };
    const clientId = read('ClientId');
    const flow = read('AuthFlow');
    const found = clientId === undefined ? undefined : this.pools.client(clientId);
    if (!found || clientId === undefined) return;
    const issued =
      status === 200 && typeof output === 'object' && output !== null && 'AuthenticationResult' in output;
    // Any refusal counts as 0 ("an unsuccessful request produces a value of 0"); a challenge on the way, nothing.
    if (!issued && status < 400) return;
    this.metrics.put(
      found.pool.config.arn.split(':')[4] as string,
      'AWS/Cognito',
      flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN' ? 'TokenRefreshSuccesses' : 'SignInSuccesses',
      [
        [
          { Name: 'UserPool', Value: found.pool.config.id },
          { Name: 'UserPoolClient', Value: clientId },
        ],
      ],
      issued ? 1 : 0,
      'Count',
      at,
    );
  }

  private async respond(request: IncomingRequest, operation: string, seen: Seen): Promise<OutgoingResponse> {
    let principal: string | null = null;
    try {
      const input = Input.parse(request.body.toString('utf8'));
      seen.input = input;
      const open = Object.hasOwn(this.unsigned, operation) ? this.unsigned[operation] : undefined;
      if (open) return this.ok((seen.output = await open(input, undefined)));
      const guarded = Object.hasOwn(this.signed, operation) ? this.signed[operation] : undefined;
      if (!guarded)
        throw new CognitoError(
          'UnknownOperationException',
          `The local cloud does not emulate cognito-idp ${operation.slice(0, 64) || '(no X-Amz-Target)'}`,
        );
      const authentication = this.authenticator.authenticate(request, 'cognito-idp');
      if (!authentication.ok) {
        const wire = jsonProtocolError(authentication.error);
        return this.error(
          new CognitoError(wire.code, authentication.error.message.split('\n')[0] ?? '', wire.status),
        );
      }
      const { caller } = authentication;
      principal = caller.principal.arn;
      const poolId = input.optionalString('UserPoolId', 55);
      const resource = poolId === undefined ? '*' : this.poolArn(poolId);
      const action = `cognito-idp:${operation}`;
      const decision = authorize({
        principal: caller.principal,
        action,
        resource,
        resourceAccountId: this.accountOf(poolId),
        identityPolicies: caller.identityPolicies,
        sessionPolicies: caller.sessionPolicies,
        now: this.authenticator.now(),
      });
      if (!decision.allowed) {
        this.log(`400 cognito-idp ${operation} refused: ${decision.explanation}`);
        return explained(
          this.error(
            new CognitoError(
              'AccessDeniedException',
              accessDeniedMessage(caller.principal.arn, action, resource, decision),
            ),
          ),
          { action, resource, principal: caller.principal.arn, decision: iamDecision('iam', decision) },
        );
      }
      return this.ok((seen.output = await guarded(input, caller)));
    } catch (error) {
      // Cognito's own refusals (a wrong password, an unknown user or client, a bad parameter): its message says why,
      // and never holds a secret.
      if (error instanceof CognitoError)
        return explained(this.error(error), {
          action: `cognito-idp:${operation.slice(0, 64)}`,
          resource: null,
          principal,
          decision: refusedBy('cognito', `${error.code}: ${error.message}`),
        });
      throw error;
    }
  }

  private ok(output: unknown): OutgoingResponse {
    return jsonReply(200, output ?? {}, CONTENT_TYPE);
  }

  private error(error: CognitoError): OutgoingResponse {
    return jsonReply(
      error.status,
      { __type: error.code, message: error.message },
      { ...CONTENT_TYPE, 'x-amzn-errortype': error.code },
    );
  }

  private poolArn(poolId: string): string {
    const pool = this.pools.get(poolId);
    if (pool) return pool.config.arn;
    const region = poolId.split('_')[0] ?? '';
    return `arn:aws:cognito-idp:${region}:${this.defaultAccount()}:userpool/${poolId}`;
  }

  private accountOf(poolId: string | undefined): string {
    return (poolId && this.pools.get(poolId)?.config.accountId) || this.defaultAccount();
  }

  private defaultAccount(): string {
    return this.pools.list()[0]?.config.accountId ?? '000000000000';
  }

  private pool(input: Input): UserPool {
    const poolId = input.string('UserPoolId', 55);
    if (!POOL_ID.test(poolId))
      throw invalidParameter(
        `1 validation error detected: Value '${poolId}' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+`,
      );
    const pool = this.pools.get(poolId);
    if (!pool) throw resourceNotFound(`User pool ${poolId} does not exist.`);
    return pool;
  }

  private client(input: Input, pool?: UserPool): { pool: UserPool; client: AppClient } {
    const clientId = input.string('ClientId', 128);
    const found = this.pools.client(clientId);
    if (!found || (pool && found.pool !== pool))
      throw resourceNotFound(`User pool client ${clientId} does not exist.`);
    return found;
  }

  private async accessToken(input: Input) {
    const token = input.string('AccessToken', 8192);
    const pool = this.poolOfToken(token);
    return { pool, ...(await verifyAccessToken(pool, token, new Date(this.ctx.nowMs()))) };
  }

  /** The pool whose issuer the token names (unverified here; verifyAccessToken checks it all). */
  private poolOfToken(token: string): UserPool {
    try {
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        iss?: unknown;
      };
      const poolId = typeof payload.iss === 'string' ? payload.iss.split('/').pop() : undefined;
      const pool = poolId ? this.pools.get(poolId) : undefined;
      if (pool) return pool;
    } catch {
      // fall through
    }
    throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
  }

  private unsignedOperations(): Record<string, Operation> {
    return {
      SignUp: async (input) => {
        const username = input.string('Username', 128);
        const password = input.string('Password', 256);
        const attributes = input.attributes('UserAttributes');
        const validationData = input.attributes('ValidationData');
        const metadata = input.map('ClientMetadata');
        const secretHash = input.optionalString('SecretHash', 128);
        const { pool, client } = this.client(input);
        if (pool.config.adminCreateUserOnly)
          throw new CognitoError('NotAuthorizedException', 'SignUp is not permitted for this user pool');
        this.ctx.checkSecretHash(client, username, secretHash);
        return this.users.signUp(pool, client, username, password, attributes, validationData, metadata);
      },
      ConfirmSignUp: async (input) => {
        const username = input.string('Username', 128);
        const code = input.string('ConfirmationCode', 2048);
        const secretHash = input.optionalString('SecretHash', 128);
        const { pool, client } = this.client(input);
        this.ctx.checkSecretHash(client, username, secretHash);
        await this.users.confirmSignUp(pool, client, username, code);
        return {};
      },
      ResendConfirmationCode: (input) => {
        const username = input.string('Username', 128);
        const secretHash = input.optionalString('SecretHash', 128);
        const { pool, client } = this.client(input);
        this.ctx.checkSecretHash(client, username, secretHash);
        return this.users.resendConfirmationCode(pool, client, username);
      },
      ForgotPassword: (input) => {
        const username = input.string('Username', 128);
        const secretHash = input.optionalString('SecretHash', 128);
        const { pool, client } = this.client(input);
        this.ctx.checkSecretHash(client, username, secretHash);
        return this.users.forgotPassword(pool, client, username);
      },
      ConfirmForgotPassword: async (input) => {
        const username = input.string('Username', 128);
        const code = input.string('ConfirmationCode', 2048);
        const password = input.string('Password', 256);
        const secretHash = input.optionalString('SecretHash', 128);
        const { pool, client } = this.client(input);
        this.ctx.checkSecretHash(client, username, secretHash);
        await this.users.confirmForgotPassword(pool, client, username, code, password);
        return {};
      },
      InitiateAuth: (input) => {
        const flow = input.string('AuthFlow', 64);
        const parameters = input.map('AuthParameters');
        const { pool, client } = this.client(input);
        return this.signIn.initiate(pool, client, flow, parameters, false);
      },
      RespondToAuthChallenge: (input) => {
        const challenge = input.string('ChallengeName', 64);
        const responses = input.map('ChallengeResponses');
        const session = input.optionalString('Session', 2048);
        const { pool, client } = this.client(input);
        return this.signIn.respond(pool, client, challenge, responses, session);
      },
      GetUser: async (input) => {
        const { pool, user, claims } = await this.accessToken(input);
        const client = pool.config.clients.find((candidate) => candidate.clientId === claims.client_id);
        const described = describeUser(
          { ...user, attributes: readableBy(client, user.attributes) },
          'UserAttributes',
        );
        return { Username: described.Username, UserAttributes: described.UserAttributes, MFAOptions: [] };
      },
      GlobalSignOut: async (input) => {
        const { pool, user } = await this.accessToken(input);
        revokeUserSessions(pool, user.username, this.ctx.nowSeconds());
        this.ctx.changed(pool);
        return {};
      },
      ChangePassword: async (input) => {
        const { pool, user } = await this.accessToken(input);
        const previous = input.string('PreviousPassword', 256);
        const proposed = input.string('ProposedPassword', 256);
        await this.signIn.provePassword(pool, user, previous);
        this.users.changePassword(pool, user, proposed);
        return {};
      },
      RevokeToken: (input) => {
        const token = input.string('Token', 4096);
        const { pool, client } = this.client(input);
        const secret = input.optionalString('ClientSecret', 256);
        if (client.clientSecret !== undefined && !this.secretMatches(client, secret))
          throw new CognitoError(
            'NotAuthorizedException',
            `Unable to verify secret for client ${client.clientId}`,
          );
        if (!client.enableTokenRevocation)
          throw new CognitoError(
            'UnsupportedOperationException',
            'Token revocation is not enabled for this client',
          );
        const hash = sha256(token);
        const record = pool.data.refreshTokens[hash];
        // RFC 7009 2.2: an unknown token is not an error; another client's token is not this client's to revoke.
        if (record && record.clientId === client.clientId) {
          revokeRefreshToken(pool, hash, this.ctx.nowSeconds());
          this.ctx.changed(pool);
        }
        return {};
      },
    };
  }

  private secretMatches(client: AppClient, given: string | undefined): boolean {
    const expected = Buffer.from(client.clientSecret ?? '');
    const actual = Buffer.from(given ?? '');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private signedOperations(): Record<string, Operation> {
    return {
      AdminInitiateAuth: (input) => {
        const pool = this.pool(input);
        const { client } = this.client(input, pool);
        return this.signIn.initiate(
          pool,
          client,
          input.string('AuthFlow', 64),
          input.map('AuthParameters'),
          true,
        );
      },
      AdminRespondToAuthChallenge: (input) => {
        const pool = this.pool(input);
        const { client } = this.client(input, pool);
        return this.signIn.respond(
          pool,
          client,
          input.string('ChallengeName', 64),
          input.map('ChallengeResponses'),
          input.optionalString('Session', 2048),
        );
      },
      AdminCreateUser: (input) =>
        this.users.adminCreateUser(
          this.pool(input),
          input.string('Username', 128),
          input.attributes('UserAttributes'),
          input.optionalString('TemporaryPassword', 256),
          input.optionalString('MessageAction', 16),
        ),
      AdminSetUserPassword: (input) => {
        this.users.adminSetUserPassword(
          this.pool(input),
          input.string('Username', 128),
          input.string('Password', 256),
          input.optionalBoolean('Permanent') ?? false,
        );
        return {};
      },
      AdminConfirmSignUp: async (input) => {
        await this.users.adminConfirmSignUp(this.pool(input), input.string('Username', 128));
        return {};
      },
      AdminGetUser: (input) => {
        const user = this.users.require(this.pool(input), input.string('Username', 128));
        return { ...describeUser(user, 'UserAttributes'), MFAOptions: [] };
      },
      AdminDeleteUser: (input) => {
        this.users.adminDeleteUser(this.pool(input), input.string('Username', 128));
        return {};
      },
      AdminDisableUser: (input) => {
        this.users.setEnabled(this.pool(input), input.string('Username', 128), false);
        return {};
      },
      AdminEnableUser: (input) => {
        this.users.setEnabled(this.pool(input), input.string('Username', 128), true);
        return {};
      },
      AdminAddUserToGroup: (input) => {
        this.users.setGroup(
          this.pool(input),
          input.string('Username', 128),
          input.string('GroupName', 128),
          true,
        );
        return {};
      },
      AdminRemoveUserFromGroup: (input) => {
        this.users.setGroup(
          this.pool(input),
          input.string('Username', 128),
          input.string('GroupName', 128),
          false,
        );
        return {};
      },
      AdminListGroupsForUser: (input) => {
        const pool = this.pool(input);
        const user = this.users.require(pool, input.string('Username', 128));
        return {
          Groups: pool.config.groups
            .filter((group) => user.groups.includes(group.groupName))
            .map((group) => this.describeGroup(pool, group.groupName)),
        };
      },
      ListUsers: (input) => {
        const pool = this.pool(input);
        const limit = input.optionalInteger('Limit', 0, 60) || 60;
        const filter = parseFilter(input.optionalString('Filter', 256));
        const start = Number(input.optionalString('PaginationToken', 64) ?? '0');
        if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid PaginationToken');
        const matching = Object.values(pool.data.users).filter(filter);
        const page = matching.slice(start, start + limit);
        return {
          Users: page.map((user) => describeUser(user)),
          ...(start + limit < matching.length ? { PaginationToken: String(start + limit) } : {}),
        };
      },
      DescribeUserPool: (input) => {
        const pool = this.pool(input);
        const { config } = pool;
        const policy = config.passwordPolicy;
        return {
          UserPool: {
            Id: config.id,
            Name: config.name,
            Arn: config.arn,
            Policies: {
              PasswordPolicy: {
                MinimumLength: policy.minimumLength,
                RequireUppercase: policy.requireUppercase,
                RequireLowercase: policy.requireLowercase,
                RequireNumbers: policy.requireNumbers,
                RequireSymbols: policy.requireSymbols,
                TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
              },
            },
            LambdaConfig: config.lambdaConfig,
            UsernameAttributes: config.usernameAttributes,
            AutoVerifiedAttributes: config.autoVerifiedAttributes,
            UsernameConfiguration: { CaseSensitive: config.caseSensitive },
            EstimatedNumberOfUsers: Object.keys(pool.data.users).length,
            ...(config.domain ? { Domain: config.domain } : {}),
            CreationDate: pool.createdAt / 1000,
            LastModifiedDate: pool.updatedAt / 1000,
          },
        };
      },
      DescribeUserPoolClient: (input) => {
        const pool = this.pool(input);
        const { client } = this.client(input, pool);
        return {
          UserPoolClient: {
            ...client.described,
            UserPoolId: pool.config.id,
            ClientName: client.clientName,
            ClientId: client.clientId,
            ...(client.clientSecret ? { ClientSecret: client.clientSecret } : {}),
            ExplicitAuthFlows: client.explicitAuthFlows,
            AllowedOAuthFlows: client.allowedOAuthFlows,
            AllowedOAuthScopes: client.allowedOAuthScopes,
            AllowedOAuthFlowsUserPoolClient: client.allowedOAuthFlowsUserPoolClient,
            PreventUserExistenceErrors: client.preventUserExistenceErrors,
            EnableTokenRevocation: client.enableTokenRevocation,
            AuthSessionValidity: client.authSessionValiditySeconds / 60,
            CreationDate: pool.createdAt / 1000,
            LastModifiedDate: pool.updatedAt / 1000,
          },
        };
      },
      ListUserPools: (input) => {
        const max = input.optionalInteger('MaxResults', 1, 60);
        if (max === undefined)
          throw invalidParameter(
            "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
          );
        const start = Number(input.optionalString('NextToken', 64) ?? '0');
        const pools = this.pools.list().slice(start, start + max);
        return {
          UserPools: pools.map((pool) => ({
            Id: pool.config.id,
            Name: pool.config.name,
            LambdaConfig: pool.config.lambdaConfig,
            CreationDate: pool.createdAt / 1000,
            LastModifiedDate: pool.updatedAt / 1000,
          })),
          ...(start + max < this.pools.list().length ? { NextToken: String(start + max) } : {}),
        };
      },
      ListUserPoolClients: (input) => {
        const pool = this.pool(input);
        return {
          UserPoolClients: pool.config.clients.map((client) => ({
            ClientId: client.clientId,
            UserPoolId: pool.config.id,
            ClientName: client.clientName,
          })),
        };
      },
    };
  }

  private describeGroup(pool: UserPool, groupName: string) {
    const group = pool.config.groups.find((candidate) => candidate.groupName === groupName);
    return {
      GroupName: groupName,
      UserPoolId: pool.config.id,
      ...(group?.description ? { Description: group.description } : {}),
      ...(group?.precedence !== undefined ? { Precedence: group.precedence } : {}),
      ...(group?.roleArn ? { RoleArn: group.roleArn } : {}),
      CreationDate: pool.createdAt / 1000,
      LastModifiedDate: pool.updatedAt / 1000,
    };
  }
}

/** The attributes ListUsers can filter on (API_ListUsers, Filter). */
const FILTERABLE = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
];

/**
 * ListUsers' Filter: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix) on one of FILTERABLE;
 * `status` is Enabled or Disabled, `cognito:user_status` is compared case-insensitively
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html).
 */
function parseFilter(text: string | undefined): (user: CognitoUser) => boolean {
  if (text === undefined || text.trim() === '') return () => true;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(text);
  if (!match || !FILTERABLE.includes(match[1] as string))
    throw invalidParameter('Error while parsing filter.');
  const [, name, operator, value] = match as unknown as [string, string, string, string];
  const test = (actual: string | undefined, fold = false) => {
    if (actual === undefined) return false;
    const [left, right] = fold ? [actual.toLowerCase(), value.toLowerCase()] : [actual, value];
    return operator === '=' ? left === right : left.startsWith(right);
  };
  return (user) => {
    if (name === 'username') return test(user.username);
    if (name === 'sub') return test(user.sub);
    if (name === 'cognito:user_status') return test(user.status, true);
    if (name === 'status') return test(user.enabled ? 'Enabled' : 'Disabled');
    return test(Object.hasOwn(user.attributes, name) ? user.attributes[name] : undefined);
  };
}
