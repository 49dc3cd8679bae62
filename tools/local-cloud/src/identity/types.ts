import type { NamedPolicy, PolicyDocument, RequestPrincipal } from '../iam';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface IamUser {
  kind: 'user';
  name: string;
  accountId: string;
  arn: string;
  /** AIDA... (aws:userid for users). */
  userId: string;
  accessKeys: AccessKey[];
  policies: NamedPolicy[];
  tags: Record<string, string>;
}

export interface IamRole {
  kind: 'role';
  name: string;
  accountId: string;
  arn: string;
  /** AROA... */
  roleId: string;
  trustPolicy: PolicyDocument;
  policies: NamedPolicy[];
  maxSessionDurationSeconds: number;
  tags: Record<string, string>;
  /** The stack that created it, for roles from templates; undefined for seeded identities. */
  stackName?: string;
}

/** Temporary credentials issued by AssumeRole (for people, or for a Lambda function's execution role). */
export interface RoleSession {
  kind: 'session';
  roleArn: string;
  sessionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: Date;
  /** AssumeRole's `Policy`: limits the role's permissions for this session (none: the role's own). */
  sessionPolicy?: NamedPolicy;
  /** Issued to a role session (role chaining): AWS caps such sessions at one hour. */
  chained: boolean;
}

/** Who a verified access key belongs to, ready for policy evaluation. */
export interface Caller {
  principal: RequestPrincipal;
  identityPolicies: NamedPolicy[];
  /** A role session's session policies (pass them to `authorize` with the identity policies). */
  sessionPolicies?: NamedPolicy[];
  /** API Gateway's `requestContext.identity.caller` / `user`: the user id, or `roleId:sessionName`. */
  callerId: string;
  accessKeyId: string;
}
