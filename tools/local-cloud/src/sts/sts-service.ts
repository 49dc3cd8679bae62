import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import type { IncomingRequest, OutgoingResponse } from '../http/incoming-request';
import { queryParameters, xmlError, xmlResult } from '../http/query-protocol';
import { queryProtocolError } from '../http/sigv4-wire-errors';
import { authorize } from '../iam';
import { assumedRoleArn, type Caller, type IamRole, type IdentityStore, type RoleSession } from '../identity';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds, RoleSessionName) */
const MIN_DURATION_SECONDS = 900;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

export class AssumeRoleError extends Error {
  public constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'AssumeRoleError';
  }
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
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
      if (error instanceof AssumeRoleError)
        return xmlError(NAMESPACE, error.status, error.code, error.message, request.requestId);
      throw error;
    }
  }

  /**
   * Issues temporary credentials for a role. Used for people (through the STS API) and for Lambda
   * functions (principal `lambda.amazonaws.com`, whose only check is the trust policy, as on AWS).
   */
  public assumeRole(
    caller: Pick<Caller, 'principal' | 'identityPolicies'>,
    input: AssumeRoleInput,
  ): { session: RoleSession; role: IamRole } {
    const { principal } = caller;
    const role = this.identities.role(input.roleArn);
    const notAuthorized = `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`;
    if (!role) throw new AssumeRoleError('AccessDenied', notAuthorized, 403);
    const duration = input.durationSeconds ?? 3600;
    if (duration < MIN_DURATION_SECONDS || duration > role.maxSessionDurationSeconds) {
      throw new AssumeRoleError(
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    }
    const decision = authorize({
      principal,
      action: 'sts:AssumeRole',
      resource: role.arn,
      resourceAccountId: role.accountId,
      identityPolicies: caller.identityPolicies,
      resourcePolicy: { name: `trust policy of role/${role.name}`, document: role.trustPolicy },
    });
    if (!decision.allowed) {
      this.log(`AssumeRole refused: ${decision.explanation}`);
      throw new AssumeRoleError('AccessDenied', notAuthorized, 403);
    }
    return {
      session: this.identities.issueSession(role, input.sessionName, duration, this.clock.now()),
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
  const durationSeconds = durationText === null ? undefined : Number(durationText);
  if (durationSeconds !== undefined && !Number.isInteger(durationSeconds)) {
    throw new AssumeRoleError('ValidationError', 'DurationSeconds must be an integer');
  }
  if (durationSeconds !== undefined && durationSeconds < MIN_DURATION_SECONDS) {
    throw new AssumeRoleError(
      'ValidationError',
      `1 validation error detected: Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  }
  return { roleArn, sessionName, durationSeconds };
}
