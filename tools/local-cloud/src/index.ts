// The local cloud's public API: for its CLI (`npm start`), tests of other tools, and benchmarks.
export {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_PORT,
  DEFAULT_REGION,
  LocalCloud,
  type LocalCloudOptions,
} from './local-cloud';
export type { AccessLogEntry } from './gateway';
export { accessesOf, type DynamoDBAccess } from './dynamodb';
export { authorize, type NamedPolicy, type RequestPrincipal } from './iam';
export { LOCAL_IDENTITIES_FILE, seededUserKeys } from './identity';
export {
  ALLOW_API_AUTHORIZER,
  deployProbeStack,
  probeStackTemplate,
  type ProbeStackOptions,
} from './testing/probe-stack';
export {
  deployUserPoolStack,
  userPoolStackTemplate,
  type UserPoolStack,
  type UserPoolStackOptions,
} from './testing/user-pool-stack';
export {
  cognitoClient,
  createConfirmedUser,
  lastMailedCode,
  mailedCodes,
  passwordTokens,
  refusalOf,
  type Refusal,
} from './testing/cognito-helpers';
export { freePort } from './testing/free-port';
export { newRsaKeyPair, newRsaKeyPairAsync, type RsaKeyPair } from './crypto/rsa-key-pair';
export {
  machineTokenResponse,
  readCorporateIdp,
  staffSignIn,
  staffToken,
  StaffSignInError,
  type CorporateIdpConfig,
} from './idp';
export { packageService, removeIsolatedBuilds, type PackagedService } from './cli/package-service';
export { runLoadTest, type LoadTestOptions, type LoadTestSummary } from './testing/load-test';
