export type ConditionBlock = Record<string, Record<string, unknown>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** A policy and the name that explanations use for it. */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

export interface RequestPrincipal {
  arn: string;
  accountId: string;
  type: 'User' | 'AssumedRole' | 'Account' | 'Service' | 'Anonymous';
  /** For AssumedRole: the role's ARN. */
  roleArn?: string;
  userName?: string;
  userId?: string;
  tags?: Record<string, string>;
}

export type ContextValue = string | string[] | number | boolean;

/**
 * A request-context value, or a function that computes it the first time a policy condition reads the key (a
 * value that is costly to work out, such as the attributes named in DynamoDB's expressions). Undefined: absent.
 */
export type LazyContextValue = ContextValue | (() => ContextValue | undefined);

export interface AuthorizationRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  resourceAccountId: string;
  identityPolicies: NamedPolicy[];
  /**
   * The session policies of a role session (AssumeRole `Policy`): they limit what the identity policies, and
   * resource policies naming anything but the session itself, can allow.
   */
  sessionPolicies?: NamedPolicy[];
  resourcePolicy?: NamedPolicy;
  context?: Record<string, LazyContextValue>;
  /** The time of the request (aws:CurrentTime, aws:EpochTime): the local cloud's clock, never the host's. */
  now: Date;
}

export interface DecidingStatement {
  policy: string;
  statement: string;
}

export interface Decision {
  allowed: boolean;
  kind: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  decidedBy: DecidingStatement[];
  /**
   * For a refusal, the kind of policy AWS's message names: the one with the explicit Deny, or the one that lacks an
   * Allow ("because no identity-based policy allows ...", "... no session policy allows ...").
   */
  policyType?: 'identity-based' | 'resource-based' | 'session';
  /** One line for logs: which statement of which policy decided, and why. */
  explanation: string;
}
