import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { lastMailedCode, refusalOf, cognitoClient } from '../src/testing/cognito-helpers';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// Sign-up, confirmation and sign-in against the local cognito-idp with real, independent clients: the AWS SDK v3
// client (USER_PASSWORD_AUTH, refresh, revoke) and amazon-cognito-identity-js (USER_SRP_AUTH, the flow of
// Amplify), tokens checked with aws-jwt-verify's CognitoJwtVerifier. AWS facts: research notes B
// (../shared/research/api-gateway-authorizers.md), Cognito API reference per operation.
const PASSWORD = 'Correct-Horse-9';

let cloud: LocalCloud;
let pool: UserPoolStack;
let cognito: CognitoIdentityProviderClient;
const lines: string[] = [];

async function signUpConfirmed(email: string, password = PASSWORD): Promise<string> {
  const { UserSub } = await cognito.send(
    new SignUpCommand({ ClientId: pool.webClientId, Username: email, Password: password }),
  );
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId: pool.webClientId,
      Username: email,
      ConfirmationCode: lastMailedCode(lines, email),
    }),
  );
  return UserSub as string;
}

function srpSignIn(
  email: string,
  password: string,
  clientId = pool.webClientId,
): Promise<CognitoUserSession> {
  const userPool = new CognitoUserPool({
    UserPoolId: pool.poolId,
    ClientId: clientId,
    endpoint: `${cloud.url}/`,
  });
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('newPasswordRequired')),
    }),
  );
}

async function localJwks(): Promise<Jwks> {
  const response = await fetch(`${cloud.url}/${pool.poolId}/.well-known/jwks.json`);
  return (await response.json()) as Jwks;
}

beforeAll(async () => {
  cloud = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => lines.push(line),
  });
  pool = await deployUserPoolStack(cloud);
  cognito = cognitoClient(cloud.url);
}, 60_000);

afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

describe('sign-up and confirmation', () => {
  test('SignUp leaves the user UNCONFIRMED, the code is in the log and only there, ConfirmSignUp confirms', async () => {
    const signUp = await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'ada@example.com', Password: PASSWORD }),
    );
    expect(signUp).toMatchObject({
      UserConfirmed: false,
      CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(signUp.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    const code = lastMailedCode(lines, 'ada@example.com');
    // The password never reaches the log; the code does (it is the mail), once.
    expect(lines.join('\n')).not.toContain(PASSWORD);
    const before = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'ada@example.com' }),
    );
    expect(before.UserStatus).toBe('UNCONFIRMED');
    expect(before.Username).toBe(signUp.UserSub); // email is the username: the user name is the sub
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: pool.webClientId,
        Username: 'ada@example.com',
        ConfirmationCode: code,
      }),
    );
    const after = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'ADA@example.com' }),
    );
    expect(after.UserStatus).toBe('CONFIRMED');
    expect(after.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'ada@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
  });

  test('errors: existing email, weak password, wrong code, confirming twice, non-email username', async () => {
    const existing = await refusalOf(
      cognito.send(
        new SignUpCommand({ ClientId: pool.webClientId, Username: 'Ada@Example.com', Password: PASSWORD }),
      ),
    );
    expect(existing).toEqual({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
      status: 400,
    });
    const short = await refusalOf(
      cognito.send(
        new SignUpCommand({ ClientId: pool.webClientId, Username: 'weak@example.com', Password: 'Ab1' }),
      ),
    );
    expect(short).toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    const noUpper = await refusalOf(
      cognito.send(
        new SignUpCommand({
          ClientId: pool.webClientId,
          Username: 'weak@example.com',
          Password: 'lowercase-9',
        }),
      ),
    );
    expect(noUpper.message).toBe(
      'Password did not conform with policy: Password must have uppercase characters',
    );
    const notEmail = await refusalOf(
      cognito.send(new SignUpCommand({ ClientId: pool.webClientId, Username: 'ada', Password: PASSWORD })),
    );
    expect(notEmail).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Username should be an email.',
    });

    await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'bob@example.com', Password: PASSWORD }),
    );
    const code = lastMailedCode(lines, 'bob@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    const mismatch = await refusalOf(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: pool.webClientId,
          Username: 'bob@example.com',
          ConfirmationCode: wrong,
        }),
      ),
    );
    expect(mismatch).toMatchObject({
      name: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: pool.webClientId,
        Username: 'bob@example.com',
        ConfirmationCode: code,
      }),
    );
    const twice = await refusalOf(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: pool.webClientId,
          Username: 'bob@example.com',
          ConfirmationCode: code,
        }),
      ),
    );
    expect(twice).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  test('an unconfirmed user is told so only with the right password', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: pool.webClientId, Username: 'carol@example.com', Password: PASSWORD }),
    );
    const auth = (password: string) =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId: pool.webClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'carol@example.com', PASSWORD: password },
        }),
      );
    expect(await refusalOf(auth(PASSWORD))).toMatchObject({
      name: 'UserNotConfirmedException',
      message: 'User is not confirmed.',
    });
    expect(await refusalOf(auth('Wrong-Horse-9'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });
});

describe('sign-in', () => {
  let sub: string;
  beforeAll(async () => {
    sub = await signUpConfirmed('dora@example.com');
  });

  test('USER_SRP_AUTH through amazon-cognito-identity-js: the SRP proof is accepted, tokens verify', async () => {
    const session = await srpSignIn('dora@example.com', PASSWORD);
    const verifier = CognitoJwtVerifier.create({
      userPoolId: pool.poolId,
      tokenUse: 'id',
      clientId: pool.webClientId,
    });
    verifier.cacheJwks(await localJwks());
    const id = await verifier.verify(session.getIdToken().getJwtToken());
    expect(id).toMatchObject({
      sub,
      aud: pool.webClientId,
      token_use: 'id',
      email: 'dora@example.com',
      email_verified: true,
      'cognito:username': sub,
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`,
    });
    const access = CognitoJwtVerifier.create({
      userPoolId: pool.poolId,
      tokenUse: 'access',
      clientId: pool.webClientId,
    });
    access.cacheJwks(await localJwks());
    const claims = await access.verify(session.getAccessToken().getJwtToken());
    expect(claims).toMatchObject({ sub, client_id: pool.webClientId, token_use: 'access', username: sub });
    expect(claims.scope).toBe('aws.cognito.signin.user.admin');
    expect(claims).not.toHaveProperty('aud');
  });

  test('USER_SRP_AUTH with a wrong password is refused, and so is an unknown user (no existence leak)', async () => {
    await expect(srpSignIn('dora@example.com', 'Wrong-Horse-9')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(srpSignIn('nobody@example.com', PASSWORD)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  test("USER_PASSWORD_AUTH through the SDK: Cognito's claim sets, ID and access tokens signed with different keys", async () => {
    const { AuthenticationResult: result, ChallengeParameters } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.webClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'dora@example.com', PASSWORD },
      }),
    );
    expect(ChallengeParameters).toEqual({});
    expect(result).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    const id = decodeJwt(result?.IdToken as string);
    const access = decodeJwt(result?.AccessToken as string);
    expect(Object.keys(id).sort()).toEqual(
      [
        'aud',
        'auth_time',
        'cognito:username',
        'email',
        'email_verified',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'sub',
        'token_use',
      ].sort(),
    );
    expect(Object.keys(access).sort()).toEqual(
      [
        'auth_time',
        'client_id',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'scope',
        'sub',
        'token_use',
        'username',
        'version',
      ].sort(),
    );
    expect((id.exp as number) - (id.iat as number)).toBe(3600);
    expect(id.origin_jti).toBe(access.origin_jti);
    const idKid = decodeProtectedHeader(result?.IdToken as string).kid;
    const accessKid = decodeProtectedHeader(result?.AccessToken as string).kid;
    expect(idKid).not.toBe(accessKid);
    expect((await localJwks()).keys.map((key) => key.kid).sort()).toEqual([idKid, accessKid].sort());
  });

  test('groups appear as cognito:groups in precedence order', async () => {
    const { AdminAddUserToGroupCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: pool.poolId,
        Username: 'dora@example.com',
        GroupName: 'support',
      }),
    );
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: pool.poolId,
        Username: 'dora@example.com',
        GroupName: 'admin',
      }),
    );
    const session = await srpSignIn('dora@example.com', PASSWORD);
    expect(session.getIdToken().decodePayload()['cognito:groups']).toEqual(['admin', 'support']);
    expect(session.getAccessToken().decodePayload()['cognito:groups']).toEqual(['admin', 'support']);
  });

  test('refresh gives new tokens of the same session; RevokeToken ends it; GetUser refuses its access token', async () => {
    const signIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.webClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'dora@example.com', PASSWORD },
      }),
    );
    const refreshToken = signIn.AuthenticationResult?.RefreshToken as string;
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.webClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    const accessToken = refreshed.AuthenticationResult?.AccessToken as string;
    expect(decodeJwt(accessToken).origin_jti).toBe(
      decodeJwt(signIn.AuthenticationResult?.AccessToken as string).origin_jti,
    );
    const user = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(user.Username).toBe(sub);

    await cognito.send(new RevokeTokenCommand({ ClientId: pool.webClientId, Token: refreshToken }));
    expect(
      await refusalOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: pool.webClientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect(await refusalOf(cognito.send(new GetUserCommand({ AccessToken: accessToken })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });

  test('GlobalSignOut revokes every session of the user', async () => {
    const first = await srpSignIn('dora@example.com', PASSWORD);
    const second = await srpSignIn('dora@example.com', PASSWORD);
    await cognito.send(new GlobalSignOutCommand({ AccessToken: first.getAccessToken().getJwtToken() }));
    for (const session of [first, second])
      expect(
        await refusalOf(
          cognito.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() })),
        ),
      ).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    // A new sign-in after it works.
    const third = await srpSignIn('dora@example.com', PASSWORD);
    await expect(
      cognito.send(new GetUserCommand({ AccessToken: third.getAccessToken().getJwtToken() })),
    ).resolves.toMatchObject({ Username: sub });
  });

  test('USER_PASSWORD_AUTH on a client without it, and a forged or foreign access token, are refused', async () => {
    expect(
      await refusalOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: pool.partnerClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'dora@example.com', PASSWORD },
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
    const session = await srpSignIn('dora@example.com', PASSWORD);
    const [header, payload] = session.getAccessToken().getJwtToken().split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, username: 'someone-else' })).toString('base64url')}.${session.getAccessToken().getJwtToken().split('.')[2]}`;
    expect(await refusalOf(cognito.send(new GetUserCommand({ AccessToken: forged })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    // The ID token is signed with the other key: not an access token.
    expect(
      await refusalOf(cognito.send(new GetUserCommand({ AccessToken: session.getIdToken().getJwtToken() }))),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });

  test('an expired access token is refused with "Access Token has expired" (the cloud clock)', async () => {
    const session = await srpSignIn('dora@example.com', PASSWORD);
    cloud.clock.advance(3601 * 1000);
    try {
      expect(
        await refusalOf(
          cognito.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() })),
        ),
      ).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
    } finally {
      cloud.clock.advance(-3601 * 1000);
    }
  });
});

describe('secret clients, existence errors and throttling', () => {
  const secretHash = (username: string) =>
    createHmac('sha256', pool.secretClientSecret)
      .update(`${username}${pool.secretClientId}`)
      .digest('base64');
  const passwordAuth = (username: string, password: string, hash?: string) =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.secretClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password, ...(hash ? { SECRET_HASH: hash } : {}) },
      }),
    );

  beforeAll(async () => {
    await signUpConfirmed('erin@example.com');
  });

  test('SECRET_HASH: missing and wrong are refused with Cognito’s messages, right signs in', async () => {
    expect(await refusalOf(passwordAuth('erin@example.com', PASSWORD))).toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${pool.secretClientId} is configured for secret but secret was not received`,
    });
    expect(
      await refusalOf(passwordAuth('erin@example.com', PASSWORD, secretHash('someone@example.com'))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${pool.secretClientId}`,
    });
    const ok = await passwordAuth('erin@example.com', PASSWORD, secretHash('erin@example.com'));
    expect(decodeJwt(ok.AuthenticationResult?.IdToken as string).exp).toBe(
      (decodeJwt(ok.AuthenticationResult?.IdToken as string).iat as number) + 600, // IdTokenValidity 10 minutes
    );
  });

  test('PreventUserExistenceErrors LEGACY (the default) says UserNotFoundException; ENABLED does not', async () => {
    expect(
      await refusalOf(passwordAuth('nobody@example.com', PASSWORD, secretHash('nobody@example.com'))),
    ).toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    const enabled = await refusalOf(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: pool.webClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD },
        }),
      ),
    );
    expect(enabled).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  test('repeated wrong passwords: "Password attempts exceeded", even for the right one, until the lockout ends', async () => {
    await signUpConfirmed('frank@example.com');
    const attempt = (password: string) =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId: pool.webClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'frank@example.com', PASSWORD: password },
        }),
      );
    const messages: string[] = [];
    for (let index = 0; index < 6; index += 1)
      messages.push((await refusalOf(attempt('Wrong-Horse-9'))).message);
    expect(messages.slice(0, 5)).toEqual(Array(5).fill('Incorrect username or password.'));
    expect(messages[5]).toBe('Password attempts exceeded');
    expect((await refusalOf(attempt(PASSWORD))).message).toBe('Password attempts exceeded');
    cloud.clock.advance(2000);
    try {
      await expect(attempt(PASSWORD)).resolves.toHaveProperty('AuthenticationResult');
    } finally {
      cloud.clock.advance(-2000);
    }
  });
});

describe('admin-created users and NEW_PASSWORD_REQUIRED', () => {
  test('AdminCreateUser: FORCE_CHANGE_PASSWORD, the printed temporary password, then a new password', async () => {
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: 'grace@example.com',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const line = lines.find((entry) => entry.includes('temporary password for grace@example.com'));
    const temporary = line && /: (\S+) \(the invitation/.exec(line)?.[1];
    expect(temporary).toBeDefined();
    const challenge = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId,
        ClientId: pool.secretClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: 'grace@example.com',
          PASSWORD: temporary as string,
          SECRET_HASH: createHmac('sha256', pool.secretClientSecret)
            .update(`grace@example.com${pool.secretClientId}`)
            .digest('base64'),
        },
      }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.Session).toBeDefined();
    const answered = await cognito
      .send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.webClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: 'grace@example.com', NEW_PASSWORD: 'Brand-New-Pass-1' },
        }),
      )
      .catch((error: Error) => error);
    // The session belongs to the client that started it.
    expect(answered).toMatchObject({ name: 'NotAuthorizedException' });
  });
});
