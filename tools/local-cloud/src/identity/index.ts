export { newAccessKeyId, newSecretAccessKey, stableUniqueId } from './credentials';
export { assumedRoleArn, IdentityStore } from './identity-store';
export { IdentitySeedError, LOCAL_IDENTITIES_FILE, seededUserKeys, seedIdentities } from './seed';
export type { AccessKey, Caller, IamRole, IamUser, RoleSession } from './types';
