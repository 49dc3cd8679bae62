import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { assumeRoleCredentials, sendRaw } from '../src/testing/raw-clients';
import {
  createConfirmedUser,
  lastMailedCode,
  refusalOf,
  cognitoClient,
} from '../src/testing/cognito-helpers';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// The signed (Admin and management) half of cognito-idp, and the user lifecycle around sign-in: IAM decides every
// signed call (`cognito-idp:<Op>` on the pool ARN, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html),
// triggers run only with their AWS::Lambda::Permission and a failing one leaves nothing half-done, and bad input
// is always a 400 in Cognito's words.
const PASSWORD = 'Correct-Horse-9';

let cloud: LocalCloud;
let pool: UserPoolStack;
let cognito: CognitoIdentityProviderClient;
const lines: string[] = [];

const passwordSignIn = (username: string, password = PASSWORD) =>
  cognito.send(
    new InitiateAuthCommand({
      ClientId: pool.webClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

/** A PostConfirmation trigger that fails for emails starting with `fail`, and records every event in the log. */
const POST_CONFIRMATION = `
exports.handler = async (event) => {
  console.log('post-confirmation event ' + JSON.stringify(event));
  if (event.request.userAttributes.email.startsWith('fail')) throw new Error('no customer record');
  return event;
};`;
/** A PreSignUp trigger that auto-confirms emails at auto.example.com and refuses blocked.example.com. */
const PRE_SIGN_UP = `
exports.handler = async (event) => {
  const email = event.request.userAttributes.email;
  if (email.endsWith('@blocked.example.com')) throw new Error('sign-ups from this domain are closed');
  if (email.endsWith('@auto.example.com')) { event.response.autoConfirmUser = true; event.response.autoVerifyEmail = true; }
  return event;
};`;

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  pool = await deployUserPoolStack(cloud, {
    triggers: { PostConfirmation: POST_CONFIRMATION, PreSignUp: PRE_SIGN_UP },
  });
  cognito = cognitoClient(cloud.url);
}, 60_000);

afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

describe('IAM on the signed operations', () => {
  test('an unsigned Admin call is refused before anything is read', async () => {
    const answer = await sendRaw(new URL(cloud.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      },
      body: JSON.stringify({ UserPoolId: pool.poolId, Username: 'anyone@example.com' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  test('signed by the no-access role: AccessDeniedException naming the action and the pool ARN', async () => {
    const credentials = await assumeRoleCredentials(
      cloud,
      'arn:aws:iam::000000000000:role/no-access',
      'cognito-test',
    );
    const client = cognitoClient(cloud.url, credentials);
    try {
      const refused = await refusalOf(
        client.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'mallory@example.com' })),
      );
      expect(refused).toEqual({
        name: 'AccessDeniedException',
        message: `User: arn:aws:sts::000000000000:assumed-role/no-access/cognito-test is not authorized to perform: cognito-idp:AdminCreateUser on resource: ${pool.poolArn} because no identity-based policy allows the cognito-idp:AdminCreateUser action`,
        status: 400,
      });
      // Nothing was created.
      expect(
        await refusalOf(
          cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'mallory@example.com' })),
        ),
      ).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    } finally {
      client.destroy();
    }
  });

  test('another account’s user, even with its own Allow for everything in it, cannot manage this pool', async () => {
    const client = cognitoClient(cloud.url, seededUserKeys('partner'));
    try {
      expect(
        await refusalOf(client.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))),
      ).toMatchObject({
        name: 'AccessDeniedException',
      });
    } finally {
      client.destroy();
    }
  });

  test('the developer describes and lists: pools, clients with their secret, users by filter', async () => {
    const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
    expect(described.UserPool).toMatchObject({
      Id: pool.poolId,
      Arn: pool.poolArn,
      UsernameAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 8, RequireSymbols: false } },
    });
    expect(pool.poolId).toMatch(/^us-east-1_[0-9a-zA-Z]{9}$/);
    const client = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.poolId, ClientId: pool.partnerClientId }),
    );
    expect(client.UserPoolClient).toMatchObject({
      ClientId: pool.partnerClientId,
      ClientSecret: pool.partnerClientSecret,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders-api/orders.read'],
    });
    expect(pool.partnerClientId).toMatch(/^[a-z0-9]{26}$/);
    const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(pools.UserPools?.map((entry) => entry.Id)).toEqual([pool.poolId]);
    const clients = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool.poolId }));
    expect(clients.UserPoolClients?.map((entry) => entry.ClientName).sort()).toEqual([
      'no-flow',
      'partner',
      'server',
      'web',
    ]);
    await createConfirmedUser(cognito, pool.poolId, 'listed@example.com', PASSWORD, [
      { Name: 'email_verified', Value: 'true' },
    ]);
    const users = await cognito.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'email = "listed@example.com"' }),
    );
    expect(users.Users?.map((user) => user.UserStatus)).toEqual(['CONFIRMED']);
    const none = await cognito.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'email ^= "nobody"' }),
    );
    expect(none.Users).toEqual([]);
  });

  test('a pool that does not exist: ResourceNotFoundException', async () => {
    expect(
      await refusalOf(cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_Nope12345' }))),
    ).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_Nope12345 does not exist.',
    });
  });
});

describe('the Admin user lifecycle', () => {
  test('disable refuses sign-in and revokes tokens; enable lets the user back in', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'hana@example.com', PASSWORD, [
      { Name: 'email_verified', Value: 'true' },
    ]);
    const tokens = (await passwordSignIn('hana@example.com')).AuthenticationResult;
    await cognito.send(
      new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'hana@example.com' }),
    );
    expect(await refusalOf(passwordSignIn('hana@example.com'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    expect(
      await refusalOf(cognito.send(new GetUserCommand({ AccessToken: tokens?.AccessToken }))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
    });
    await cognito.send(new AdminEnableUserCommand({ UserPoolId: pool.poolId, Username: 'hana@example.com' }));
    await expect(passwordSignIn('hana@example.com')).resolves.toHaveProperty('AuthenticationResult');
  });

  test('groups: add, list, remove; an unknown group is ResourceNotFoundException', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'ivan@example.com', PASSWORD, [
      { Name: 'email_verified', Value: 'true' },
    ]);
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: pool.poolId,
        Username: 'ivan@example.com',
        GroupName: 'support',
      }),
    );
    const listed = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: 'ivan@example.com' }),
    );
    expect(listed.Groups?.map((group) => [group.GroupName, group.Precedence])).toEqual([['support', 5]]);
    await cognito.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: pool.poolId,
        Username: 'ivan@example.com',
        GroupName: 'support',
      }),
    );
    expect(
      (
        await cognito.send(
          new AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: 'ivan@example.com' }),
        )
      ).Groups,
    ).toEqual([]);
    expect(
      await refusalOf(
        cognito.send(
          new AdminAddUserToGroupCommand({
            UserPoolId: pool.poolId,
            Username: 'ivan@example.com',
            GroupName: 'root',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
  });

  test('delete: the user is gone, and so are its tokens', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'jo@example.com', PASSWORD, [
      { Name: 'email_verified', Value: 'true' },
    ]);
    const tokens = (await passwordSignIn('jo@example.com')).AuthenticationResult;
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: 'jo@example.com' }));
    expect(
      await refusalOf(
        cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'jo@example.com' })),
      ),
    ).toMatchObject({
      name: 'UserNotFoundException',
    });
    expect(
      await refusalOf(cognito.send(new GetUserCommand({ AccessToken: tokens?.AccessToken }))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  test('forgot password: code in the log, the new password works, the old one does not; ChangePassword', async () => {
    await createConfirmedUser(cognito, pool.poolId, 'kim@example.com', PASSWORD, [
      { Name: 'email_verified', Value: 'true' },
    ]);
    const sent = await cognito.send(
      new ForgotPasswordCommand({ ClientId: pool.webClientId, Username: 'kim@example.com' }),
    );
    expect(sent.CodeDeliveryDetails).toEqual({
      Destination: 'k***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: pool.webClientId,
        Username: 'kim@example.com',
        ConfirmationCode: lastMailedCode(lines, 'kim@example.com', 'password reset'),
        Password: 'Reset-Pass-22',
      }),
    );
    expect(await refusalOf(passwordSignIn('kim@example.com'))).toMatchObject({
      message: 'Incorrect username or password.',
    });
    const tokens = (await passwordSignIn('kim@example.com', 'Reset-Pass-22')).AuthenticationResult;
    expect(
      await refusalOf(
        cognito.send(
          new ChangePasswordCommand({
            AccessToken: tokens?.AccessToken,
            PreviousPassword: 'Wrong-Pass-22',
            ProposedPassword: 'Changed-Pass-33',
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await cognito.send(
      new ChangePasswordCommand({
        AccessToken: tokens?.AccessToken,
        PreviousPassword: 'Reset-Pass-22',
        ProposedPassword: 'Changed-Pass-33',
      }),
    );
    await expect(passwordSignIn('kim@example.com', 'Changed-Pass-33')).resolves.toHaveProperty(
      'AuthenticationResult',
    );
    // The PostConfirmation trigger ran for the reset too, with Cognito's trigger source.
    expect(
      lines.some((line) => line.includes('"triggerSource":"PostConfirmation_ConfirmForgotPassword"')),
    ).toBe(true);
  });

  test('ResendConfirmationCode: a new code for an unconfirmed user; a confirmed one is InvalidParameterException', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'lee@example.com', Password: PASSWORD }),
    );
    const first = lastMailedCode(lines, 'lee@example.com');
    await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: pool.webClientId, Username: 'lee@example.com' }),
    );
    const second = lastMailedCode(lines, 'lee@example.com');
    if (first !== second)
      expect(
        await refusalOf(
          cognito.send(
            new ConfirmSignUpCommand({
              ClientId: pool.webClientId,
              Username: 'lee@example.com',
              ConfirmationCode: first,
            }),
          ),
        ),
      ).toMatchObject({ name: 'CodeMismatchException' });
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: pool.webClientId,
        Username: 'lee@example.com',
        ConfirmationCode: second,
      }),
    );
    expect(
      await refusalOf(
        cognito.send(
          new ResendConfirmationCodeCommand({ ClientId: pool.webClientId, Username: 'lee@example.com' }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'User is already confirmed.' });
  });
});

describe('triggers', () => {
  test("PostConfirmation gets Cognito's event, with the user as confirmed", async () => {
    const { UserSub } = await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'mia@example.com', Password: PASSWORD }),
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: pool.webClientId,
        Username: 'mia@example.com',
        ConfirmationCode: lastMailedCode(lines, 'mia@example.com'),
      }),
    );
    const line = lines.find(
      (entry) => entry.includes('post-confirmation event') && entry.includes('mia@example.com'),
    ) as string;
    const event = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    expect(event).toEqual({
      version: '1',
      region: 'us-east-1',
      userPoolId: pool.poolId,
      userName: UserSub,
      callerContext: { awsSdkVersion: expect.any(String), clientId: pool.webClientId },
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: {
        userAttributes: {
          sub: UserSub,
          email: 'mia@example.com',
          email_verified: 'true',
          'cognito:user_status': 'CONFIRMED',
        },
      },
      response: {},
    });
  });

  test('a failing PostConfirmation fails the confirmation with UserLambdaValidationException; the user stays unconfirmed', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'fail@example.com', Password: PASSWORD }),
    );
    const code = lastMailedCode(lines, 'fail@example.com');
    expect(
      await refusalOf(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: pool.webClientId,
            Username: 'fail@example.com',
            ConfirmationCode: code,
          }),
        ),
      ),
    ).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PostConfirmation failed with error no customer record.',
      status: 400,
    });
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'fail@example.com' }),
    );
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(user.UserAttributes?.find((attribute) => attribute.Name === 'email_verified')).toBeUndefined();
    // Same with the Admin call.
    expect(
      await refusalOf(
        cognito.send(
          new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'fail@example.com' }),
        ),
      ),
    ).toMatchObject({ name: 'UserLambdaValidationException' });
  });

  test('PreSignUp: its autoConfirmUser is honoured; its error refuses the sign-up and creates no user', async () => {
    const auto = await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'nia@auto.example.com', Password: PASSWORD }),
    );
    expect(auto.UserConfirmed).toBe(true);
    // An auto-confirmed user reaches PostConfirmation at sign-up (its email is not verified unless PreSignUp says so).
    expect(
      lines.some((line) => line.includes('post-confirmation event') && line.includes('nia@auto.example.com')),
    ).toBe(true);
    await expect(passwordSignIn('nia@auto.example.com')).resolves.toHaveProperty('AuthenticationResult');
    expect(
      await refusalOf(
        cognito.send(
          new SignUpCommand({
            ClientId: pool.webClientId,
            Username: 'oz@blocked.example.com',
            Password: PASSWORD,
          }),
        ),
      ),
    ).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error sign-ups from this domain are closed.',
      status: 400,
    });
    expect(
      await refusalOf(
        cognito.send(
          new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'oz@blocked.example.com' }),
        ),
      ),
    ).toMatchObject({ name: 'UserNotFoundException' });
  });

  test('without its AWS::Lambda::Permission a trigger is never called, and the sign-up fails', async () => {
    const unpermitted = await deployUserPoolStack(cloud, {
      stackName: 'unpermitted',
      triggers: { PreSignUp: PRE_SIGN_UP },
      triggerPermissions: false,
    });
    const before = lines.length;
    expect(
      await refusalOf(
        cognito.send(
          new SignUpCommand({
            ClientId: unpermitted.webClientId,
            Username: 'pat@example.com',
            Password: PASSWORD,
          }),
        ),
      ),
    ).toMatchObject({ name: 'UnexpectedLambdaException' });
    expect(lines.slice(before).join('\n')).toContain(
      'no AWS::Lambda::Permission lets cognito-idp.amazonaws.com invoke it',
    );
    await cloud.remove('unpermitted');
  });
});

describe('bad input is a 400 in Cognito’s words, never a 500', () => {
  const raw = (operation: string, body: string, signed = false) =>
    signed
      ? cognito.send(new DescribeUserPoolCommand({ UserPoolId: body }))
      : sendRaw(new URL(cloud.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
          },
          body,
        });
  const cases: Array<[string, string, string, string]> = [
    ['an empty body', 'SignUp', '{}', 'InvalidParameterException'],
    ['a body that is not JSON', 'SignUp', 'not json', 'InvalidParameterException'],
    ['a JSON array', 'SignUp', '[]', 'InvalidParameterException'],
    [
      'a number for a string',
      'SignUp',
      JSON.stringify({ ClientId: 7, Username: 'a@b.co', Password: PASSWORD }),
      'InvalidParameterException',
    ],
    [
      'a client id of 129 characters',
      'SignUp',
      JSON.stringify({ ClientId: 'x'.repeat(129), Username: 'a@b.co', Password: PASSWORD }),
      'InvalidParameterException',
    ],
    [
      'an unknown client',
      'InitiateAuth',
      JSON.stringify({ ClientId: 'unknown', AuthFlow: 'USER_PASSWORD_AUTH' }),
      'ResourceNotFoundException',
    ],
    [
      'a string for a map',
      'InitiateAuth',
      JSON.stringify({ ClientId: 'x', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: 'nope' }),
      'InvalidParameterException',
    ],
    [
      'a null challenge name',
      'RespondToAuthChallenge',
      JSON.stringify({ ClientId: 'x', ChallengeName: null }),
      'InvalidParameterException',
    ],
    [
      'a token that is not a JWT',
      'GetUser',
      JSON.stringify({ AccessToken: 'a.b.c' }),
      'NotAuthorizedException',
    ],
    [
      'a 100 kB token',
      'GetUser',
      JSON.stringify({ AccessToken: 'x'.repeat(100_000) }),
      'InvalidParameterException',
    ],
    [
      'a list for a string',
      'ConfirmSignUp',
      JSON.stringify({ ClientId: 'x', Username: ['a'] }),
      'InvalidParameterException',
    ],
    [
      '100 kB of password',
      'SignUp',
      JSON.stringify({ ClientId: 'x', Username: 'a@b.co', Password: 'P'.repeat(100_000) }),
      'InvalidParameterException',
    ],
    ['an unknown operation', 'NoSuchOperation', '{}', 'UnknownOperationException'],
  ];
  test.each(cases)('%s (%s) -> %s', async (_label, operation, body, code) => {
    const answer = (await raw(operation, body)) as { status: number; json: () => Record<string, unknown> };
    expect(answer.status).toBe(400);
    expect(answer.json().__type).toBe(code);
  });

  test('InitiateAuth with a client id that is real but a flow name that is not', async () => {
    const answer = await sendRaw(new URL(cloud.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        ClientId: pool.webClientId,
        AuthFlow: 'MAGIC',
        AuthParameters: { USERNAME: 'a@b.co' },
      }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ __type: 'InvalidParameterException' });
    expect(String(answer.json().message)).toContain(
      "Value 'MAGIC' at 'authFlow' failed to satisfy constraint",
    );
  });

  test('a signed call with a malformed pool id', async () => {
    expect(await refusalOf(raw('', 'not a pool id!', true) as Promise<unknown>)).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
  });
});
