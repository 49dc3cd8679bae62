export {
  CorporateIdp,
  IDP_PATH,
  IdpConfigError,
  readCorporateIdp,
  type CorporateIdpConfig,
  type IdpClient,
  type StaffMember,
} from './corporate-idp';
export { staffSignIn, StaffSignInError, type StaffTokens } from './staff-sign-in';
export { machineTokenResponse, staffToken } from './staff-token';
