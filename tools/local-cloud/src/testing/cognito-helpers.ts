import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AwsCredentialIdentity } from '@smithy/types';
import { seededUserKeys } from '../identity';

/** The SDK's Cognito client against the local cloud, as `credentials` (default: the seeded developer), no retries. */
export function cognitoClient(
  endpoint: string,
  credentials: AwsCredentialIdentity = seededUserKeys('developer'),
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** A USER_PASSWORD_AUTH sign-in through `clientId` (a client without a secret): the ID and access tokens. */
export async function passwordTokens(
  client: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password: string,
): Promise<{ id: string; access: string; refresh: string }> {
  const { AuthenticationResult } = await client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  return {
    id: AuthenticationResult?.IdToken as string,
    access: AuthenticationResult?.AccessToken as string,
    refresh: AuthenticationResult?.RefreshToken as string,
  };
}

/** How an SDK call was refused: the error's name (Cognito's `__type`), message and HTTP status. */
export interface Refusal {
  name: string;
  message: string;
  status?: number;
}

/** The refusal a call ends in; throws if it succeeds (a test expecting a refusal must not pass on a success). */
export async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    const { name, message, $metadata } = error as Refusal & { $metadata?: { httpStatusCode?: number } };
    return { name, message, status: $metadata?.httpStatusCode };
  }
  throw new Error('expected a refusal, the call succeeded');
}

/** Every code the local cloud "mailed" to `to` for `purpose`, oldest first (its log, as the mail Cognito sends). */
export function mailedCodes(log: readonly string[], to: string, purpose = 'confirmation'): string[] {
  return log
    .filter((line) => line.includes(`${purpose} code for ${to}:`))
    .map((line) => /: (\d{6}) /.exec(line)?.[1])
    .filter((code): code is string => code !== undefined);
}

/** The last code mailed to `to` for `purpose`. */
export function lastMailedCode(log: readonly string[], to: string, purpose = 'confirmation'): string {
  const code = mailedCodes(log, to, purpose).at(-1);
  if (!code) throw new Error(`no ${purpose} code was mailed to ${to}`);
  return code;
}

/** A CONFIRMED user with `password`, made with the Admin API (AdminCreateUser, then a permanent password). */
export async function createConfirmedUser(
  client: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  password: string,
  attributes: AttributeType[] = [],
): Promise<void> {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: 'Temporary-Pass-1',
      UserAttributes: attributes,
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
}
