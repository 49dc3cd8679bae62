export { CognitoService, COGNITO_TARGET_PREFIX } from './cognito-service';
export { CognitoError } from './errors';
export { oauth2Token, OAUTH2_TOKEN_PATH } from './oauth2-token';
export { STANDARD_ATTRIBUTES } from './flows/attributes';
export { DEFAULT_PASSWORD_POLICY } from './password-policy';
export { issuerOf, jwksOf, openIdConfiguration, publicKeyOf } from './tokens';
export type { TriggerInvoker } from './triggers';
export { UserPools } from './user-pools';
export type {
  AppClient,
  PasswordPolicy,
  ResourceServer,
  UserGroup,
  UserPool,
  UserPoolConfig,
} from './user-pools';
