import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import { explained, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import { queryParameters, xmlError, xmlResult } from '../http/query-protocol';
import { queryProtocolError } from '../http/sigv4-wire-errors';
import { authorize, validatePolicyDocument, type NamedPolicy, type PolicyDocument } from '../iam';
import { assumedRoleArn, type Caller, type IamRole, type IdentityStore, type RoleSession } from '../identity';
import { iamDecision, refusedBy, type RequestDecision } from '../requests';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds, RoleSessionName) */
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;
/** "If you assume a role using role chaining ... greater than one hour, the operation fails" (API_AssumeRole). */
const CHAINED_MAX_SECONDS = 3600;
/** API_AssumeRole: ExternalId, 2-1224 characters of `[\w+=,.@:\/-]`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** API_AssumeRole: the plaintext of an inline session policy "can't exceed 2,048 characters". */
const MAX_SESSION_POLICY_CHARS = 2048;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

export class AssumeRoleError extends Error {
  public constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
    /** Why, when a policy (or a missing role) decided: for the request log. */
    public readonly decision?: RequestDecision,
  ) {
    super(message);
    this.name = 'AssumeRoleError';
  }
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  externalId?: string;
  /** The inline session policy (`Policy`), already validated. */
  sessionPolicy?: PolicyDocument;
}

/**
 * STS: AssumeRole and GetCallerIdentity, answering in AWS's XML so the AWS CLI and SDKs parse it.
 * AssumeRole needs both the caller's identity policy and the role's trust policy to allow it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html).
 */
export class StsService {
  public constructor(
    private readonly identities: IdentityStore,
    private readonly authenticator: Authenticator,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  public handle(request: IncomingRequest): OutgoingResponse {
    const authentication = this.authenticator.authenticate(request, 'sts');
    if (!authentication.ok) {
      const { error } = authentication;
      const wire = queryProtocolError(error);
      return xmlError(NAMESPACE, wire.status, wire.code, error.message, request.requestId);
    }
    const params = queryParameters(request);
    const action = params.get('Action');
    const { caller } = authentication;
    try {
      switch (action) {
        case 'GetCallerIdentity':
          return xmlResult(
            NAMESPACE,
            'GetCallerIdentity',
            { Arn: caller.principal.arn, UserId: caller.callerId, Account: caller.principal.accountId },
            request.requestId,
          );
        case 'AssumeRole': {
          const input = parseAssumeRole(params);
          const { session, role } = this.assumeRole(caller, input);
          return xmlResult(
            NAMESPACE,
            'AssumeRole',
            {
              Credentials: {
                AccessKeyId: session.accessKeyId,
                SecretAccessKey: session.secretAccessKey,
                SessionToken: session.sessionToken,
                Expiration: session.expiresAt.toISOString(),
              },
              AssumedRoleUser: {
                AssumedRoleId: `${role.roleId}:${session.sessionName}`,
                Arn: assumedRoleArn(role, session.sessionName),
              },
            },
            request.requestId,
          );
        }
        default:
          return xmlError(
            NAMESPACE,
            400,
            'InvalidAction',
            `Could not find operation ${action ?? ''} for version 2011-06-15`,
            request.requestId,
          );
      }
    } catch (error) {
      if (error instanceof AssumeRoleError) {
        const response = xmlError(NAMESPACE, error.status, error.code, error.message, request.requestId);
        if (!error.decision) return response;
        return explained(response, {
          action: 'sts:AssumeRole',
          resource: params.get('RoleArn') ?? null,
          principal: caller.principal.arn,
          decision: error.decision,
        });
      }
      throw error;
    }
  }

  /**
   * Issues temporary credentials for a role. Used for people (through the STS API) and for Lambda
   * functions (principal `lambda.amazonaws.com`, whose only check is the trust policy, as on AWS).
   */
  public assumeRole(
    caller: Pick<Caller, 'principal' | 'identityPolicies' | 'sessionPolicies'>,
    input: AssumeRoleInput,
  ): { session: RoleSession; role: IamRole } {
    const { principal } = caller;
    const role = this.identities.role(input.roleArn);
    const notAuthorized = `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`;
    if (!role)
      throw new AssumeRoleError(
        'AccessDenied',
        notAuthorized,
        403,
        refusedBy('iam', `no role ${input.roleArn}`),
      );
    // Authorize first: checks that depend on the role (its MaxSessionDuration) must not tell a caller who may
    // not assume it anything about it.
    const decision = authorize({
      principal,
      action: 'sts:AssumeRole',
      resource: role.arn,
      resourceAccountId: role.accountId,
      identityPolicies: caller.identityPolicies,
      sessionPolicies: caller.sessionPolicies,
      resourcePolicy: { name: `trust policy of role/${role.name}`, document: role.trustPolicy },
      now: this.clock.now(),
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_externalid
      context: {
        'sts:RoleSessionName': input.sessionName,
        ...(input.externalId === undefined ? {} : { 'sts:ExternalId': input.externalId }),
      },
    });
    if (!decision.allowed) {
      this.log(`AssumeRole refused: ${decision.explanation}`);
      throw new AssumeRoleError('AccessDenied', notAuthorized, 403, iamDecision('iam', decision));
    }
    const chained = principal.type === 'AssumedRole';
    const duration = input.durationSeconds ?? 3600;
    if (chained && duration > CHAINED_MAX_SECONDS)
      throw new AssumeRoleError(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    if (duration > role.maxSessionDurationSeconds)
      throw new AssumeRoleError(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    const sessionPolicy: NamedPolicy | undefined = input.sessionPolicy && {
      name: `session policy of ${assumedRoleArn(role, input.sessionName)}`,
      document: input.sessionPolicy,
    };
    return {
      session: this.identities.issueSession(role, input.sessionName, duration, this.clock.now(), {
        sessionPolicy,
        chained,
      }),
      role,
    };
  }
}

function parseAssumeRole(params: URLSearchParams): AssumeRoleInput {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  const durationText = params.get('DurationSeconds');
  if (!ROLE_ARN.test(roleArn))
    throw new AssumeRoleError('ValidationError', `${roleArn || 'RoleArn'} is invalid`);
  if (!SESSION_NAME.test(sessionName)) {
    throw new AssumeRoleError(
      'ValidationError',
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  let durationSeconds: number | undefined;
  if (durationText !== null) {
    // Digits only: Number() would take ' 900', '9e2' and '0x384'.
    if (!/^\d{1,9}$/.test(durationText))
      throw new AssumeRoleError(
        'ValidationError',
        `DurationSeconds must be an integer, not '${durationText.slice(0, 20)}'`,
      );
    durationSeconds = Number(durationText);
    if (durationSeconds < MIN_DURATION_SECONDS)
      throw new AssumeRoleError(
        'ValidationError',
        `1 validation error detected: Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    if (durationSeconds > MAX_DURATION_SECONDS)
      throw new AssumeRoleError(
        'ValidationError',
        `1 validation error detected: Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
      );
  }
  const externalId = params.get('ExternalId') ?? undefined;
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    throw new AssumeRoleError(
      'ValidationError',
      "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length between 2 and 1224",
    );
  // Managed session policies would need managed policies, which the local cloud does not model: refused, never
  // accepted and ignored (the session would hold more than the caller asked for).
  if ([...params.keys()].some((key) => key.startsWith('PolicyArns.')))
    throw new AssumeRoleError(
      'ValidationError',
      'PolicyArns (managed session policies) are not supported by the local cloud: pass the statements inline as Policy',
    );
  return {
    roleArn,
    sessionName,
    durationSeconds,
    externalId,
    sessionPolicy: parseSessionPolicy(params.get('Policy')),
  };
}

/** AssumeRole's inline session policy: JSON, at most 2048 characters, a valid identity policy. */
function parseSessionPolicy(text: string | null): PolicyDocument | undefined {
  if (text === null) return undefined;
  if (text.length > MAX_SESSION_POLICY_CHARS)
    throw new AssumeRoleError(
      'PackedPolicyTooLarge',
      `The session policy has ${text.length} characters; at most ${MAX_SESSION_POLICY_CHARS} are allowed`,
    );
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new AssumeRoleError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
  }
  const problems = validatePolicyDocument(document, 'identity');
  if (problems.length > 0) throw new AssumeRoleError('MalformedPolicyDocument', problems.join('; '));
  return document as PolicyDocument;
}
