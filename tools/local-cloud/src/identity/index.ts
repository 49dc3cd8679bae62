export { newAccessKeyId, newSecretAccessKey, stableUniqueId } from './credentials';
export { assumedRoleArn, IdentityStore } from './identity-store';
export { IdentitySeedError, seedIdentities } from './seed';
export type { AccessKey, Caller, IamRole, IamUser, RoleSession } from './types';
