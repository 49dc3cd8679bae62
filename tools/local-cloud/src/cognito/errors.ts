/**
 * A refusal in Cognito's words: HTTP 400 with `{"__type": code, "message": ...}` (AWS JSON 1.1; research notes
 * B1, B3). `status` is 400 for every client error, as Cognito answers them.
 */
export class CognitoError extends Error {
  public constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const incorrectCredentials = () => notAuthorized('Incorrect username or password.');
export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message);
