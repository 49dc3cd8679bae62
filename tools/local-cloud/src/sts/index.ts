export { AssumeRoleError, StsService, type AssumeRoleInput } from './sts-service';
