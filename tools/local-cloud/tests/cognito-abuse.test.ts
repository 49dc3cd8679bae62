import { createHmac } from 'node:crypto';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { createConfirmedUser, mailedCodes, refusalOf, cognitoClient } from '../src/testing/cognito-helpers';
import { deployWithSources } from '../src/testing/probe-stack';
import {
  deployUserPoolStack,
  userPoolStackTemplate,
  type UserPoolStack,
} from '../src/testing/user-pool-stack';

// What a hostile or careless caller tries against the local Cognito, each refused as Cognito refuses it: attributes
// a client may not write, sessions that outlive what they were for, codes guessed by asking for new ones, users
// told apart by their challenges, prototype keys as names, racing sign-ups, deploys that fail half-way.
const PASSWORD = 'Correct-Horse-9';

let cloud: LocalCloud;
/** Email is the username; a PreSignUp that auto-confirms @auto.example.com; a slow PostConfirmation that logs. */
let pool: UserPoolStack;
/** User names (not emails); Schema with a required name and a custom attribute; admin-only recovery. */
let named: UserPoolStack;
let cognito: CognitoIdentityProviderClient;
const lines: string[] = [];

const passwordSignIn = (target: UserPoolStack, username: string, password = PASSWORD) =>
  cognito.send(
    new InitiateAuthCommand({
      ClientId: target.webClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  pool = await deployUserPoolStack(cloud, {
    triggers: {
      PreSignUp: `exports.handler = async (event) => {
        if (event.request.userAttributes.email.endsWith('@auto.example.com')) event.response.autoConfirmUser = true;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return event;
      };`,
      PostConfirmation: `exports.handler = async (event) => {
        console.log('post-confirmation for ' + event.request.userAttributes.email);
        // Slow enough that racing sign-ups would all get here before the first one is stored.
        await new Promise((resolve) => setTimeout(resolve, 500));
        return event;
      };`,
    },
  });
  named = await deployUserPoolStack(cloud, {
    stackName: 'named',
    poolProperties: {
      UsernameAttributes: [],
      Schema: [
        { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'tier', AttributeDataType: 'String', Mutable: true },
      ],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
    },
    webClientProperties: { WriteAttributes: ['name', 'email', 'custom:tier'] },
  });
  cognito = cognitoClient(cloud.url);
}, 60_000);

afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

describe('attributes a client may not write', () => {
  const signUp = (
    target: UserPoolStack,
    username: string,
    attributes: Array<{ Name: string; Value: string }>,
  ) =>
    cognito.send(
      new SignUpCommand({
        ClientId: target.webClientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: attributes,
      }),
    );

  test('email_verified (only the Admin API sets it): NotAuthorizedException, and no user', async () => {
    expect(
      await refusalOf(signUp(pool, 'verified@example.com', [{ Name: 'email_verified', Value: 'true' }])),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    expect(
      await refusalOf(
        cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'verified@example.com' })),
      ),
    ).toMatchObject({ name: 'UserNotFoundException' });
  });

  test.each([
    [
      'an undeclared custom attribute',
      'custom:role',
      'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {custom:role} could not be determined',
    ],
    [
      'a name that is no attribute',
      'scope',
      'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {scope} could not be determined',
    ],
    ['sub', 'sub', 'InvalidParameterException', 'Cannot modify the non-mutable attribute sub'],
  ])('%s (%s) is refused', async (_label, attribute, name, message) => {
    expect(await refusalOf(signUp(pool, 'attr@example.com', [{ Name: attribute, Value: 'x' }]))).toEqual({
      name,
      message,
      status: 400,
    });
  });

  test('a declared custom attribute is taken; one outside the client’s WriteAttributes is not; a required one must be there', async () => {
    await signUp(named, 'una', [
      { Name: 'name', Value: 'Una' },
      { Name: 'custom:tier', Value: 'gold' },
    ]);
    expect(
      await refusalOf(
        signUp(named, 'vic', [
          { Name: 'name', Value: 'Vic' },
          { Name: 'nickname', Value: 'v' },
        ]),
      ),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    expect(await refusalOf(signUp(named, 'wes', []))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: name: The attribute is required',
    });
  });
});

describe('sessions and tokens that outlive what they were for', () => {
  test('NEW_PASSWORD_REQUIRED after the user was disabled: refused, no tokens', async () => {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: 'xia@example.com',
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temporary-Pass-1',
      }),
    );
    const challenge = await passwordSignIn(pool, 'xia@example.com', 'Temporary-Pass-1');
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'xia@example.com' }));
    expect(
      await refusalOf(
        cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: pool.webClientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: challenge.Session,
            ChallengeResponses: { USERNAME: 'xia@example.com', NEW_PASSWORD: 'Brand-New-Pass-1' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
  });

  test('NEW_PASSWORD_REQUIRED cannot take another user’s email or verify an email', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'yan@example.com', PASSWORD);
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: 'zed@example.com',
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temporary-Pass-1',
      }),
    );
    const respond = async (attributes: Record<string, string>) => {
      const challenge = await passwordSignIn(pool, 'zed@example.com', 'Temporary-Pass-1');
      return cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.webClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: {
            USERNAME: 'zed@example.com',
            NEW_PASSWORD: 'Brand-New-Pass-1',
            ...attributes,
          },
        }),
      );
    };
    expect(await refusalOf(respond({ 'userAttributes.email': 'yan@example.com' }))).toMatchObject({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    expect(await refusalOf(respond({ 'userAttributes.email_verified': 'true' }))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(respond({})).resolves.toHaveProperty('AuthenticationResult');
  });

  test('a user deleted and made again under the same name does not inherit the old tokens', async () => {
    await createConfirmedUser(cognito, named.poolId, 'amy', PASSWORD, [{ Name: 'name', Value: 'Amy' }]);
    const old = (await passwordSignIn(named, 'amy')).AuthenticationResult;
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: named.poolId, Username: 'amy' }));
    await createConfirmedUser(cognito, named.poolId, 'amy', PASSWORD, [{ Name: 'name', Value: 'Amy Two' }]);
    expect(
      await refusalOf(cognito.send(new GetUserCommand({ AccessToken: old?.AccessToken }))),
    ).toMatchObject({ name: 'NotAuthorizedException' });
    expect(
      await refusalOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: named.webClientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: old?.RefreshToken as string },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  });

  test('a secret client’s refresh says nothing about the token before the secret hash is right', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'bea@example.com', PASSWORD);
    const hash = (name: string) =>
      createHmac('sha256', pool.secretClientSecret).update(`${name}${pool.secretClientId}`).digest('base64');
    const signIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.secretClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bea@example.com', PASSWORD, SECRET_HASH: hash('bea@example.com') },
      }),
    );
    const refreshToken = signIn.AuthenticationResult?.RefreshToken as string;
    const sub = decodeJwt(signIn.AuthenticationResult?.IdToken as string).sub as string;
    cloud.clock.advance(31 * 86_400 * 1000); // past the refresh token's 30 days
    try {
      expect(
        await refusalOf(
          cognito.send(
            new InitiateAuthCommand({
              ClientId: pool.secretClientId,
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: hash('someone') },
            }),
          ),
        ),
      ).toMatchObject({
        name: 'NotAuthorizedException',
        message: `Unable to verify secret hash for client ${pool.secretClientId}`,
      });
      expect(
        await refusalOf(
          cognito.send(
            new InitiateAuthCommand({
              ClientId: pool.secretClientId,
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: hash(sub) },
            }),
          ),
        ),
      ).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    } finally {
      cloud.clock.advance(-31 * 86_400 * 1000);
    }
  });
});

describe('codes and passwords cannot be guessed by asking again', () => {
  test('ForgotPassword: at most 5 codes an hour; wrong guesses count over all of them', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'cal@example.com', PASSWORD, [
      { Name: 'email_verified', Value: 'true' },
    ]);
    const forgot = () =>
      cognito.send(new ForgotPasswordCommand({ ClientId: pool.webClientId, Username: 'cal@example.com' }));
    const guess = (code: string) =>
      cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: pool.webClientId,
          Username: 'cal@example.com',
          ConfirmationCode: code,
          Password: 'Another-Pass-2',
        }),
      );
    const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
    await forgot();
    for (let index = 0; index < 3; index += 1)
      await refusalOf(guess(wrong(mailedCodes(lines, 'cal@example.com', 'password reset').at(-1) as string)));
    await forgot();
    for (let index = 0; index < 2; index += 1)
      await refusalOf(guess(wrong(mailedCodes(lines, 'cal@example.com', 'password reset').at(-1) as string)));
    // Five wrong guesses over two codes: even the right code is refused now.
    expect(
      await refusalOf(guess(mailedCodes(lines, 'cal@example.com', 'password reset').at(-1) as string)),
    ).toMatchObject({
      name: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
    await forgot();
    await forgot();
    await forgot();
    expect(await refusalOf(forgot())).toMatchObject({ name: 'LimitExceededException' });
    cloud.clock.advance(3601 * 1000);
    try {
      await forgot();
      await guess(mailedCodes(lines, 'cal@example.com', 'password reset').at(-1) as string);
      await expect(passwordSignIn(pool, 'cal@example.com', 'Another-Pass-2')).resolves.toHaveProperty(
        'AuthenticationResult',
      );
    } finally {
      cloud.clock.advance(-3601 * 1000);
    }
  });

  test('lockout: from the 5th wrong password, 1 s doubling; 15 minutes without one forget the count', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'dan@example.com', PASSWORD);
    for (let index = 0; index < 4; index += 1)
      expect((await refusalOf(passwordSignIn(pool, 'dan@example.com', 'Wrong-Horse-9'))).message).toBe(
        'Incorrect username or password.',
      );
    cloud.clock.advance(16 * 60 * 1000);
    try {
      // The count started again: four more are four, not eight.
      for (let index = 0; index < 4; index += 1)
        expect((await refusalOf(passwordSignIn(pool, 'dan@example.com', 'Wrong-Horse-9'))).message).toBe(
          'Incorrect username or password.',
        );
      await expect(passwordSignIn(pool, 'dan@example.com')).resolves.toHaveProperty('AuthenticationResult');
    } finally {
      cloud.clock.advance(-16 * 60 * 1000);
    }
  });

  test('admin_only account recovery: ForgotPassword is refused', async () => {
    await createConfirmedUser(cognito, named.poolId, 'eli', PASSWORD, [
      { Name: 'name', Value: 'Eli' },
      { Name: 'email', Value: 'eli@example.com' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(
      await refusalOf(
        cognito.send(new ForgotPasswordCommand({ ClientId: named.webClientId, Username: 'eli' })),
      ),
    ).toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});

describe('existence is not told, names are names', () => {
  test('an unknown user’s SRP challenge is stable across calls, like a real one’s', async () => {
    const challenge = async (username: string) =>
      (
        await cognito.send(
          new InitiateAuthCommand({
            ClientId: pool.webClientId,
            AuthFlow: 'USER_SRP_AUTH',
            AuthParameters: { USERNAME: username, SRP_A: 'abcdef0123456789' },
          }),
        )
      ).ChallengeParameters as Record<string, string>;
    await createConfirmedUser(cognito, pool.poolId, 'fay@example.com', PASSWORD);
    const [real1, real2, ghost1, ghost2] = [
      await challenge('fay@example.com'),
      await challenge('fay@example.com'),
      await challenge('ghost@example.com'),
      await challenge('ghost@example.com'),
    ];
    expect(real1.SALT).toBe(real2.SALT);
    expect(ghost1.SALT).toBe(ghost2.SALT);
    expect(ghost1.USER_ID_FOR_SRP).toBe(ghost2.USER_ID_FOR_SRP);
    expect(ghost1.USER_ID_FOR_SRP).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test.each(['__proto__', 'constructor', 'toString'])(
    'the user name %s is a user like any other',
    async (username) => {
      await createConfirmedUser(cognito, named.poolId, username, PASSWORD, [
        { Name: 'name', Value: 'Proto' },
      ]);
      expect(
        (await cognito.send(new AdminGetUserCommand({ UserPoolId: named.poolId, Username: username })))
          .Username,
      ).toBe(username);
      await expect(passwordSignIn(named, username)).resolves.toHaveProperty('AuthenticationResult');
      expect(
        (
          await cognito.send(
            new ListUsersCommand({ UserPoolId: named.poolId, Filter: `username = "${username}"` }),
          )
        ).Users,
      ).toHaveLength(1);
    },
  );

  test('ListUsers: a filter on a prototype key or a non-filterable attribute is a 400; status is Enabled/Disabled', async () => {
    for (const filter of ['constructor ^= "x"', '__proto__ = "x"', 'nickname = "x"'])
      expect(
        await refusalOf(cognito.send(new ListUsersCommand({ UserPoolId: pool.poolId, Filter: filter }))),
      ).toMatchObject({
        name: 'InvalidParameterException',
      });
    await createConfirmedUser(cognito, pool.poolId, 'gil@example.com', PASSWORD);
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'gil@example.com' }));
    const disabled = await cognito.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'status = "Disabled"' }),
    );
    expect(
      disabled.Users?.map((user) => user.Attributes?.find((attribute) => attribute.Name === 'email')?.Value),
    ).toContain('gil@example.com');
    const confirmed = await cognito.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'cognito:user_status = "confirmed"' }),
    );
    expect(confirmed.Users?.length).toBeGreaterThan(0);
  });

  test('a user name with a space is refused', async () => {
    expect(
      await refusalOf(
        cognito.send(
          new SignUpCommand({
            ClientId: named.webClientId,
            Username: 'two words',
            Password: PASSWORD,
            UserAttributes: [{ Name: 'name', Value: 'x' }],
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  test('Basic credentials that are not percent-encoding: invalid_client, not a 500', async () => {
    const answer = await fetch(`${cloud.url}/_aws/cognito-idp/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: 'invalid_client' });
  });
});

describe('races and failures', () => {
  test('three sign-ups of one auto-confirmed email at once: one user, one PostConfirmation', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map(() =>
        cognito.send(
          new SignUpCommand({
            ClientId: pool.webClientId,
            Username: 'hal@auto.example.com',
            Password: PASSWORD,
          }),
        ),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((entry) => entry.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toMatchObject({ name: 'UsernameExistsException' });
    expect(lines.filter((line) => line.includes('post-confirmation for hal@auto.example.com'))).toHaveLength(
      1,
    );
  });

  test('AdminConfirmSignUp confirms without verifying the email (no code reached the inbox)', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'ivy@example.com', Password: PASSWORD }),
    );
    await cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'ivy@example.com' }),
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'ivy@example.com' }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes?.find((attribute) => attribute.Name === 'email_verified')?.Value).not.toBe(
      'true',
    );
  });

  test('a redeploy that fails after its pool was replaced keeps the old pool and its users', async () => {
    const first = await deployUserPoolStack(cloud, { stackName: 'fragile' });
    await createConfirmedUser(cognito, first.poolId, 'jan@example.com', PASSWORD);
    const template = userPoolStackTemplate({ stackName: 'fragile' }) as unknown as {
      Resources: Record<string, unknown>;
      Outputs: Record<string, unknown>;
    };
    // The pool gets a new logical id (a replacement), and a table dynalite refuses fails the deploy mid-way.
    const renamed = JSON.parse(JSON.stringify(template).replaceAll('"Pool"', '"PoolV2"')) as typeof template;
    renamed.Resources.PoolV2 = template.Resources.Pool;
    delete renamed.Resources.Pool;
    renamed.Resources.BadTable = {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'fragile-bad',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }],
      },
    };
    await expect(deployWithSources(cloud, 'fragile', renamed as never, {})).rejects.toThrow();
    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId: first.poolId, Username: 'jan@example.com' })),
    ).resolves.toMatchObject({
      UserStatus: 'CONFIRMED',
    });
    await cloud.remove('fragile');
  });

  test('deploys that would widen or drop something are refused: a non-string SourceArn, a client of another stack’s pool', async () => {
    const permission = userPoolStackTemplate({
      stackName: 'loose',
      triggers: { PreSignUp: 'exports.handler = async (e) => e;' },
    }) as unknown as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    (
      permission.Resources.PreSignUpPermission as { Properties: Record<string, unknown> }
    ).Properties.SourceArn = ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/*'];
    await expect(
      deployWithSources(cloud, 'loose', permission as never, {
        'PreSignUp.zip': 'exports.handler = async (e) => e;',
      }),
    ).rejects.toThrow('property SourceArn must be a string');
    await expect(
      deployWithSources(
        cloud,
        'stray',
        {
          Resources: {
            Client: {
              Type: 'AWS::Cognito::UserPoolClient',
              Properties: { UserPoolId: pool.poolId, ClientName: 'stray' },
            },
          },
        } as never,
        {},
      ),
    ).rejects.toThrow("the local cloud deploys the parts of a pool in the pool's own stack");
  });
});
