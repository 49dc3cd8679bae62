import { accessDeniedMessage, authorize } from './authorize';
import type {
  AuthorizationRequest,
  ContextValue,
  NamedPolicy,
  PolicyDocument,
  PolicyStatement,
  RequestPrincipal,
} from './types';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';

function user(name: string, accountId = ACCOUNT, tags?: Record<string, string>): RequestPrincipal {
  return {
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    accountId,
    type: 'User',
    userName: name,
    userId: `AIDA${name.toUpperCase()}`,
    tags,
  };
}

function roleSession(role: string, session: string, accountId = ACCOUNT): RequestPrincipal {
  return {
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`,
    accountId,
    type: 'AssumedRole',
    roleArn: `arn:aws:iam::${accountId}:role/${role}`,
    userId: `AROAEXAMPLE:${session}`,
  };
}

const policy = (name: string, ...statements: PolicyStatement[]): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement: statements },
});

function request(fields: Partial<AuthorizationRequest>): AuthorizationRequest {
  return {
    principal: user('Bob'),
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::amzn-s3-demo-bucket/report.csv',
    resourceAccountId: ACCOUNT,
    identityPolicies: [],
    now: new Date(),
    ...fields,
  };
}

const allowS3 = policy('AllowS3', { Sid: 'AllowS3', Effect: 'Allow', Action: 's3:*', Resource: '*' });

// Policy evaluation logic: "By default, all requests are implicitly denied", "An explicit allow in an
// identity-based or resource-based policy overrides this default", "An explicit deny in any policy overrides any
// allows". https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
describe('authorize: allow, explicit deny and implicit deny', () => {
  it('denies implicitly when no policy applies', () => {
    // Prepare
    const input = request({ identityPolicies: [] });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({ allowed: false, kind: 'ImplicitDeny', decidedBy: [] });
    expect(decision.explanation).toContain('implicit deny');
  });

  it('allows what an identity policy allows and names the deciding statement', () => {
    // Prepare
    const input = request({ identityPolicies: [allowS3] });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({
      allowed: true,
      kind: 'Allow',
      decidedBy: [{ policy: 'AllowS3', statement: 'AllowS3' }],
    });
    expect(decision.explanation).toBe(
      'arn:aws:iam::111122223333:user/Bob -> s3:GetObject on arn:aws:s3:::amzn-s3-demo-bucket/report.csv: ' +
        'allowed by statement AllowS3 of AllowS3',
    );
  });

  it('names a statement without Sid by its position', () => {
    // Prepare
    const document: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'sqs:*', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      ],
    };
    const input = request({ identityPolicies: [{ name: 'ReadOnly', document }] });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision.decidedBy).toEqual([{ policy: 'ReadOnly', statement: 'Statement[1]' }]);
  });

  it('lets an explicit deny in one identity policy override an allow in another', () => {
    // Prepare
    const deny = policy('DenyReports', {
      Sid: 'NoReports',
      Effect: 'Deny',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/report*',
    });
    const input = request({ identityPolicies: [allowS3, deny] });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({
      allowed: false,
      kind: 'ExplicitDeny',
      decidedBy: [{ policy: 'DenyReports', statement: 'NoReports' }],
    });
    expect(decision.explanation).toContain('explicit deny by statement NoReports of DenyReports');
  });

  it('lets an explicit deny in the resource policy override an identity-policy allow', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Sid: 'DenyEveryone',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
    });
    const input = request({ identityPolicies: [allowS3], resourcePolicy: bucketPolicy });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({
      kind: 'ExplicitDeny',
      decidedBy: [{ policy: 'bucket policy', statement: 'DenyEveryone' }],
    });
  });

  it('lets an explicit deny in an identity policy override a resource-policy allow', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/Bob' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
    });
    const deny = policy('DenyAllS3', { Sid: 'DenyAll', Effect: 'Deny', Action: 's3:*', Resource: '*' });
    const input = request({ identityPolicies: [deny], resourcePolicy: bucketPolicy });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({ kind: 'ExplicitDeny', decidedBy: [{ policy: 'DenyAllS3' }] });
  });

  it('ignores statements whose action or resource does not match the request', () => {
    // Prepare
    const other = policy(
      'Other',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::another-bucket/*' },
    );
    const input = request({ identityPolicies: [other] });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision.kind).toBe('ImplicitDeny');
  });
});

// Same account: "If either the identity-based policy or the resource-based policy within the same account allows
// the request and the other doesn't, the request is still allowed."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
// and which principals a resource policy can grant to directly:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
describe('authorize: resource policies in the same account', () => {
  it('allows with the identity policy alone when the resource policy does not mention the caller', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/Alice' },
      Action: 's3:*',
      Resource: '*',
    });
    const input = request({ identityPolicies: [allowS3], resourcePolicy: bucketPolicy });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({ allowed: true, decidedBy: [{ policy: 'AllowS3' }] });
  });

  // "resource-based policies that grant permissions to an IAM user ARN ... are not limited by an implicit deny in
  // an identity-based policy"
  it('allows with the resource policy alone when it names the IAM user', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Sid: 'BobReads',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/Bob' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
    });
    const input = request({ identityPolicies: [], resourcePolicy: bucketPolicy });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({
      allowed: true,
      decidedBy: [{ policy: 'bucket policy', statement: 'BobReads' }],
    });
  });

  // "resource-based policies that grant permissions to an IAM role session ARN grant permissions directly to the
  // assumed role session" / "Resource-based policies that grant permissions to an IAM role ARN are limited by an
  // implicit deny in a permissions boundary or session policy" (not by identity-based policies).
  it('allows a role session named by its session ARN or by its role ARN', () => {
    // Prepare
    const principal = roleSession('examplerole', 'examplerolesessionname');
    const bySession = policy('by session', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/examplerole/examplerolesessionname' },
      Action: 's3:GetObject',
      Resource: '*',
    });
    const byRole = policy('by role', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/examplerole' },
      Action: 's3:GetObject',
      Resource: '*',
    });

    // Act
    const sessionDecision = authorize(request({ principal, resourcePolicy: bySession }));
    const roleDecision = authorize(request({ principal, resourcePolicy: byRole }));
    const otherSession = authorize(
      request({ principal: roleSession('examplerole', 'other'), resourcePolicy: bySession }),
    );

    // Assess
    expect(sessionDecision.allowed).toBe(true);
    expect(roleDecision.allowed).toBe(true);
    expect(otherSession.allowed).toBe(false);
  });

  // "For IAM users and role principals within your account, no other permissions are required."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
  it('allows principals of the account when the resource policy allows "*"', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
    });

    // Act
    const decision = authorize(request({ identityPolicies: [], resourcePolicy: bucketPolicy }));

    // Assess
    expect(decision.allowed).toBe(true);
  });

  // "When you specify an AWS account, ... This delegates authority to the account ... an administrator in that
  // account must then grant access to an identity (IAM user or role) in that account."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
  it('delegates to identity policies when the resource policy names only the account', () => {
    // Prepare
    const keyLikePolicy = policy('resource policy', {
      Sid: 'EnableIamPolicies',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 's3:*',
      Resource: '*',
    });

    // Act
    const without = authorize(request({ identityPolicies: [], resourcePolicy: keyLikePolicy }));
    const withIdentityPolicy = authorize(
      request({ identityPolicies: [allowS3], resourcePolicy: keyLikePolicy }),
    );

    // Assess
    expect(without.kind).toBe('ImplicitDeny');
    expect(withIdentityPolicy.allowed).toBe(true);
  });
});

// Cross-account: "To allow cross-account access, you attach a resource-based policy to the resource that you want
// to share. You must also attach an identity-based policy to the identity that acts as the principal in the
// request." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
describe('authorize: cross-account requests', () => {
  const caller = user('Carlos', OTHER_ACCOUNT);
  const trustOtherAccount = policy('bucket policy', {
    Sid: 'TrustAccountA',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
  });

  it('denies with an identity-policy allow but no resource policy', () => {
    // Prepare
    const input = request({ principal: caller, identityPolicies: [allowS3] });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({ allowed: false, kind: 'ImplicitDeny', decidedBy: [] });
    expect(decision.explanation).toContain(
      'cross-account access needs an allow in both the identity policy (yes) and the resource policy (no)',
    );
  });

  it('denies with a resource-policy allow naming the caller but no identity-policy allow', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: caller.arn },
      Action: 's3:GetObject',
      Resource: '*',
    });

    // Act
    const decision = authorize(
      request({ principal: caller, identityPolicies: [], resourcePolicy: bucketPolicy }),
    );

    // Assess
    expect(decision.kind).toBe('ImplicitDeny');
    expect(decision.explanation).toContain('identity policy (no) and the resource policy (yes)');
  });

  it('allows when both allow, and names both statements', () => {
    // Prepare
    const input = request({
      principal: caller,
      identityPolicies: [allowS3],
      resourcePolicy: trustOtherAccount,
    });

    // Act
    const decision = authorize(input);

    // Assess
    expect(decision).toMatchObject({
      allowed: true,
      decidedBy: [
        { policy: 'AllowS3', statement: 'AllowS3' },
        { policy: 'bucket policy', statement: 'TrustAccountA' },
      ],
    });
  });

  // "When you specify more than one principal in an element, you grant permissions to each principal. This is a
  // logical OR" - with the account ID short form. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it('accepts the account ID short form among several principals', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: ['123456789012', OTHER_ACCOUNT] },
      Action: 's3:GetObject',
      Resource: '*',
    });
    const outsider = user('Eve', '999999999999');

    // Act
    const listed = authorize(
      request({ principal: caller, identityPolicies: [allowS3], resourcePolicy: bucketPolicy }),
    );
    const notListed = authorize(
      request({ principal: outsider, identityPolicies: [allowS3], resourcePolicy: bucketPolicy }),
    );

    // Assess
    expect(listed.allowed).toBe(true);
    expect(notListed.allowed).toBe(false);
  });

  it('lets an explicit deny of the resource policy win across accounts', () => {
    // Prepare
    const bucketPolicy: NamedPolicy = {
      name: 'bucket policy',
      document: {
        Version: '2012-10-17',
        Statement: [
          ...([] as PolicyStatement[]).concat(trustOtherAccount.document.Statement),
          {
            Sid: 'NoReports',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: 'arn:aws:s3:::*/report.csv',
          },
        ],
      },
    };

    // Act
    const decision = authorize(
      request({ principal: caller, identityPolicies: [allowS3], resourcePolicy: bucketPolicy }),
    );

    // Assess
    expect(decision).toMatchObject({ kind: 'ExplicitDeny', decidedBy: [{ statement: 'NoReports' }] });
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
describe('authorize: Action and NotAction', () => {
  // The "iam:*AccessKey*" example of the Action and variables pages.
  it.each([
    ['iam:CreateAccessKey', true],
    ['iam:ListAccessKeys', true],
    ['iam:UpdateAccessKey', true],
    ['iam:CreateUser', false],
  ])('matches %s against iam:*AccessKey*: %s', (action, expected) => {
    // Prepare
    const keys = policy('Keys', { Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*' });

    // Act
    const decision = authorize(
      request({ action, resource: 'arn:aws:iam::111122223333:user/Bob', identityPolicies: [keys] }),
    );

    // Assess
    expect(decision.allowed).toBe(expected);
  });

  // "The prefix and the action name are case insensitive. For example, iam:ListAccessKeys is the same as
  // IAM:listaccesskeys."
  it('matches action names case-insensitively', () => {
    // Prepare
    const keys = policy('Keys', { Effect: 'Allow', Action: 'IAM:listaccesskeys', Resource: '*' });

    // Act
    const decision = authorize(request({ action: 'iam:ListAccessKeys', identityPolicies: [keys] }));

    // Assess
    expect(decision.allowed).toBe(true);
  });

  // "NotAction with Allow": "The following example allows users to access every action in every AWS service except
  // for IAM." - which does not deny IAM actions, it only does not allow them.
  it('allows every action but those of NotAction in an Allow statement', () => {
    // Prepare
    const notIam = policy('NotIam', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });

    // Act
    const s3 = authorize(request({ action: 's3:GetObject', identityPolicies: [notIam] }));
    const iam = authorize(request({ action: 'iam:CreateUser', identityPolicies: [notIam] }));

    // Assess
    expect(s3.allowed).toBe(true);
    expect(iam.kind).toBe('ImplicitDeny');
  });

  // "allows users to access all of the Amazon S3 actions that can be performed on any S3 resource except for
  // deleting a bucket ... This policy also does not allow actions in other services"
  it('scopes a NotAction Allow statement with its Resource (the s3:DeleteBucket example)', () => {
    // Prepare
    const notDelete = policy('NotDelete', {
      Effect: 'Allow',
      NotAction: 's3:DeleteBucket',
      Resource: 'arn:aws:s3:::*',
    });
    const call = (action: string, resource: string) =>
      authorize(request({ action, resource, identityPolicies: [notDelete] })).allowed;

    // Act
    const getObject = call('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/a.txt');
    const deleteBucket = call('s3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket');
    const otherService = call('sqs:SendMessage', 'arn:aws:sqs:us-east-2:111122223333:queue1');

    // Assess
    expect([getObject, deleteBucket, otherService]).toEqual([true, false, false]);
  });

  // "NotAction with Deny": DenyAllUsersNotUsingMFA denies everything but IAM when
  // "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" }.
  it('denies every action but those of NotAction in a Deny statement (the MFA example)', () => {
    // Prepare
    const admin = policy('Admin', { Effect: 'Allow', Action: '*', Resource: '*' });
    const mfa = policy('RequireMfa', {
      Sid: 'DenyAllUsersNotUsingMFA',
      Effect: 'Deny',
      NotAction: 'iam:*',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    const identityPolicies = [admin, mfa];

    // Act
    const s3WithoutMfa = authorize(request({ identityPolicies }));
    const iamWithoutMfa = authorize(request({ action: 'iam:ListUsers', identityPolicies }));
    const s3WithMfa = authorize(
      request({ identityPolicies, context: { 'aws:MultiFactorAuthPresent': true } }),
    );
    const s3NoMfaKey = authorize(request({ identityPolicies, context: {} }));

    // Assess
    expect(s3WithoutMfa.kind).toBe('ExplicitDeny');
    expect(iamWithoutMfa.allowed).toBe(true);
    expect(s3WithMfa.allowed).toBe(true);
    expect(s3NoMfaKey.kind).toBe('ExplicitDeny');
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
describe('authorize: Resource and NotResource', () => {
  // "arn:aws:iam::account-ID-without-hyphens:user/accounting/*" refers to all IAM users whose path is /accounting.
  it('matches resource ARNs with wildcards, case-sensitively', () => {
    // Prepare
    const users = policy('Accounting', {
      Effect: 'Allow',
      Action: 'iam:GetUser',
      Resource: 'arn:aws:iam::111122223333:user/accounting/*',
    });
    const get = (resource: string) =>
      authorize(request({ action: 'iam:GetUser', resource, identityPolicies: [users] })).allowed;

    // Act
    const results = [
      get('arn:aws:iam::111122223333:user/accounting/Bob'),
      get('arn:aws:iam::111122223333:user/accounting/eu/Alice'),
      get('arn:aws:iam::111122223333:user/Accounting/Bob'),
      get('arn:aws:iam::111122223333:user/sales/Bob'),
    ];

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });

  it('matches any of several resources, and "*" matches every resource', () => {
    // Prepare
    const tables = policy('Tables', {
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: [
        'arn:aws:dynamodb:us-east-2:111122223333:table/books_table',
        'arn:aws:dynamodb:us-east-2:111122223333:table/magazines_table',
      ],
    });
    const everything = policy('Everything', { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' });
    const get = (resource: string, identityPolicies: NamedPolicy[]) =>
      authorize(request({ action: 'dynamodb:GetItem', resource, identityPolicies })).allowed;

    // Act
    const magazines = get('arn:aws:dynamodb:us-east-2:111122223333:table/magazines_table', [tables]);
    const comics = get('arn:aws:dynamodb:us-east-2:111122223333:table/comics_table', [tables]);
    const comicsWithStar = get('arn:aws:dynamodb:us-east-2:111122223333:table/comics_table', [everything]);

    // Assess
    expect([magazines, comics, comicsWithStar]).toEqual([true, false, true]);
  });

  // The NotResource example: deny all of S3 except the HRBucket/Payroll folder.
  it('applies a NotResource statement to every resource but those listed', () => {
    // Prepare
    const onlyPayroll = policy('OnlyPayroll', {
      Sid: 'DenyAllButPayroll',
      Effect: 'Deny',
      Action: 's3:*',
      NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
    });
    const identityPolicies = [allowS3, onlyPayroll];

    // Act
    const payroll = authorize(
      request({ resource: 'arn:aws:s3:::HRBucket/Payroll/2024.csv', identityPolicies }),
    );
    const other = authorize(
      request({ resource: 'arn:aws:s3:::HRBucket/Reviews/2024.csv', identityPolicies }),
    );

    // Assess
    expect(payroll.allowed).toBe(true);
    expect(other).toMatchObject({ kind: 'ExplicitDeny', decidedBy: [{ statement: 'DenyAllButPayroll' }] });
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
describe('authorize: Principal and NotPrincipal', () => {
  // "For anonymous users, the following elements are equivalent: "Principal": "*" / "Principal" : { "AWS" : "*" }"
  it('treats { "AWS": "*" } like "*"', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: '*',
    });

    // Act
    const decision = authorize(request({ principal: user('Alice'), resourcePolicy: bucketPolicy }));

    // Assess
    expect(decision.allowed).toBe(true);
  });

  // "You cannot use a wildcard to match part of a principal name or ARN."
  it('does not match part of a principal ARN with a wildcard', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/*' },
      Action: 's3:GetObject',
      Resource: '*',
    });

    // Act
    const decision = authorize(request({ resourcePolicy: bucketPolicy }));

    // Assess
    expect(decision.allowed).toBe(false);
  });

  // The service-role example: "Principal": { "Service": ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"] }.
  it('matches AWS service principals by name', () => {
    // Prepare
    const trustPolicy = policy('trust policy', {
      Effect: 'Allow',
      Principal: { Service: ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    });
    const service = (name: string): RequestPrincipal => ({ arn: name, accountId: ACCOUNT, type: 'Service' });
    const assume = (principal: RequestPrincipal) =>
      authorize(
        request({
          principal,
          action: 'sts:AssumeRole',
          resource: 'arn:aws:iam::111122223333:role/ecsRole',
          resourcePolicy: trustPolicy,
        }),
      ).allowed;

    // Act
    const ecs = assume(service('ecs.amazonaws.com'));
    const lambda = assume(service('lambda.amazonaws.com'));

    // Assess
    expect(ecs).toBe(true);
    expect(lambda).toBe(false);
  });

  // "Example IAM user in the same or a different account": all principals except Bob of 444455556666 are denied;
  // the NotPrincipal element lists both Bob and his account.
  it('denies everyone but the user that NotPrincipal names with the account (the Bob example)', () => {
    // Prepare
    const bucketPolicy = policy(
      'bucket policy',
      { Sid: 'AllowRead', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
      {
        Sid: 'DenyAllButBob',
        Effect: 'Deny',
        NotPrincipal: { AWS: ['arn:aws:iam::444455556666:user/Bob', 'arn:aws:iam::444455556666:root'] },
        Action: 's3:*',
        Resource: ['arn:aws:s3:::BUCKETNAME', 'arn:aws:s3:::BUCKETNAME/*'],
      },
    );
    const read = (principal: RequestPrincipal) =>
      authorize(
        request({
          principal,
          resource: 'arn:aws:s3:::BUCKETNAME/file',
          identityPolicies: [allowS3],
          resourcePolicy: bucketPolicy,
        }),
      );

    // Act
    const bob = read(user('Bob', OTHER_ACCOUNT));
    const alice = read(user('Alice', OTHER_ACCOUNT));
    const localUser = read(user('Bob', ACCOUNT));

    // Assess
    expect(bob.allowed).toBe(true);
    expect(alice).toMatchObject({ kind: 'ExplicitDeny', decidedBy: [{ statement: 'DenyAllButBob' }] });
    expect(localUser.kind).toBe('ExplicitDeny');
  });

  // "Example IAM role in the same or different account": the session, the role and the account are all listed.
  it('excludes a role session only when the session, its role and its account are listed', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Sid: 'DenyAllButAudit',
      Effect: 'Deny',
      NotPrincipal: {
        AWS: [
          'arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app',
          'arn:aws:iam::444455556666:role/cross-account-read-only-role',
          'arn:aws:iam::444455556666:root',
        ],
      },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::Bucket_AccountAudit', 'arn:aws:s3:::Bucket_AccountAudit/*'],
    });
    const read = (principal: RequestPrincipal) =>
      authorize(
        request({
          principal,
          resource: 'arn:aws:s3:::Bucket_AccountAudit/log',
          identityPolicies: [allowS3],
          resourcePolicy: bucketPolicy,
        }),
      ).kind;

    // Act
    const auditApp = read(
      roleSession('cross-account-read-only-role', 'cross-account-audit-app', OTHER_ACCOUNT),
    );
    const otherSession = read(roleSession('cross-account-read-only-role', 'someone-else', OTHER_ACCOUNT));

    // Assess
    expect(auditApp).not.toBe('ExplicitDeny');
    expect(otherSession).toBe('ExplicitDeny');
  });

  // "When you use NotPrincipal with Deny, you must also specify the account ARN of the not-denied principal.
  // Otherwise, the policy might deny access to the entire account containing the principal."
  it('still denies a user whose account NotPrincipal does not list', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Effect: 'Deny',
      NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/Bob' },
      Action: 's3:*',
      Resource: '*',
    });

    // Act
    const decision = authorize(request({ identityPolicies: [allowS3], resourcePolicy: bucketPolicy }));

    // Assess
    expect(decision.kind).toBe('ExplicitDeny');
  });

  // The recommended alternative: "Principal": "*" with "ArnNotEquals": { "aws:PrincipalArn": ... }.
  it('denies all but one user with ArnNotEquals on aws:PrincipalArn', () => {
    // Prepare
    const bucketPolicy = policy('bucket policy', {
      Sid: 'UsePrincipalArnInsteadOfNotPrincipalWithDeny',
      Effect: 'Deny',
      Action: 's3:*',
      Principal: '*',
      Resource: ['arn:aws:s3:::BUCKETNAME/*', 'arn:aws:s3:::BUCKETNAME'],
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/user-name' } },
    });
    const read = (principal: RequestPrincipal) =>
      authorize(
        request({
          principal,
          resource: 'arn:aws:s3:::BUCKETNAME/x',
          identityPolicies: [allowS3],
          resourcePolicy: bucketPolicy,
        }),
      ).kind;

    // Act
    const named = read(user('user-name', OTHER_ACCOUNT));
    const other = read(user('other', OTHER_ACCOUNT));

    // Assess
    expect(named).not.toBe('ExplicitDeny');
    expect(other).toBe('ExplicitDeny');
  });
});

// "IAM role trust policies and KMS key policies are exceptions to this logic, because they must explicitly allow
// access for principals." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
describe('authorize: role trust policies', () => {
  const admin = policy('AdministratorAccess', { Effect: 'Allow', Action: '*', Resource: '*' });
  const assume = (trustPolicy: NamedPolicy, identityPolicies: NamedPolicy[]) =>
    authorize(
      request({
        action: 'sts:AssumeRole',
        resource: 'arn:aws:iam::111122223333:role/lambda-role',
        identityPolicies,
        resourcePolicy: trustPolicy,
      }),
    );

  it('refuses AssumeRole in the same account when the trust policy does not allow the caller', () => {
    // Prepare
    const trustPolicy = policy('trust policy', {
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });

    // Act
    const decision = assume(trustPolicy, [admin]);

    // Assess
    expect(decision).toMatchObject({ allowed: false, kind: 'ImplicitDeny', decidedBy: [] });
    expect(decision.explanation).toContain('a role trust policy must allow the principal itself');
  });

  it('allows AssumeRole when the trust policy trusts the account and an identity policy allows it', () => {
    // Prepare
    const trustPolicy = policy('trust policy', {
      Sid: 'TrustAccount',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'sts:AssumeRole',
    });

    // Act
    const withAdmin = assume(trustPolicy, [admin]);
    const withoutPolicy = assume(trustPolicy, []);

    // Assess
    expect(withAdmin.allowed).toBe(true);
    expect(withoutPolicy.allowed).toBe(false);
  });

  it('allows AssumeRole with the trust policy alone when it names the user', () => {
    // Prepare
    const trustPolicy = policy('trust policy', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/Bob' },
      Action: 'sts:AssumeRole',
    });

    // Act
    const decision = assume(trustPolicy, []);

    // Assess
    expect(decision.allowed).toBe(true);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
describe('authorize: policy variables', () => {
  const homeDirectories = policy('HomeDirectories', {
    Sid: 'OwnObjects',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: ['arn:aws:s3:::mybucket/${aws:username}/*'],
  });

  it('lets each user reach only their own home directory (arn:aws:s3:::mybucket/${aws:username}/*)', () => {
    // Prepare
    const david = user('David');

    // Act
    const own = authorize(
      request({
        principal: david,
        resource: 'arn:aws:s3:::mybucket/David/notes.txt',
        identityPolicies: [homeDirectories],
      }),
    );
    const other = authorize(
      request({
        principal: david,
        resource: 'arn:aws:s3:::mybucket/Adele/notes.txt',
        identityPolicies: [homeDirectories],
      }),
    );

    // Assess
    expect(own).toMatchObject({ allowed: true, decidedBy: [{ statement: 'OwnObjects' }] });
    expect(other.allowed).toBe(false);
  });

  // "not present means that the value is not in the current request information, and any attempt to match it
  // fails" - aws:username is not present for role sessions.
  it('does not match a statement whose variable has no value (aws:username of a role session)', () => {
    // Prepare
    const session = roleSession('reader', 'David');

    // Act
    const decision = authorize(
      request({
        principal: session,
        resource: 'arn:aws:s3:::mybucket/David/notes.txt',
        identityPolicies: [homeDirectories],
      }),
    );

    // Assess
    expect(decision.kind).toBe('ImplicitDeny');
  });

  // "If you don't include the Version element ..., variables like ${aws:username} are treated as literal strings."
  it('treats variables as literal text in policies without Version 2012-10-17', () => {
    // Prepare
    const oldPolicy: NamedPolicy = {
      name: 'Old',
      document: { Statement: homeDirectories.document.Statement },
    };

    // Act
    const david = authorize(
      request({
        principal: user('David'),
        resource: 'arn:aws:s3:::mybucket/David/notes.txt',
        identityPolicies: [oldPolicy],
      }),
    );
    const literal = authorize(
      request({
        principal: user('David'),
        resource: 'arn:aws:s3:::mybucket/${aws:username}/notes.txt',
        identityPolicies: [oldPolicy],
      }),
    );

    // Assess
    expect(david.allowed).toBe(false);
    expect(literal.allowed).toBe(true);
  });

  // "StringLike": {"s3:prefix": ["${aws:username}/*"]} on ListBucket, and "Key names are case-insensitive".
  it('substitutes variables in condition values, whatever the case of the key name', () => {
    // Prepare
    const listOwnPrefix = policy('ListOwnPrefix', {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::mybucket',
      Condition: { StringLike: { 's3:prefix': ['${AWS:UserName}/*'] } },
    });
    const list = (prefix: string) =>
      authorize(
        request({
          principal: user('David'),
          action: 's3:ListBucket',
          resource: 'arn:aws:s3:::mybucket',
          identityPolicies: [listOwnPrefix],
          context: { 's3:prefix': prefix },
        }),
      ).allowed;

    // Act
    const own = list('David/photos/');
    const other = list('Adele/');

    // Assess
    expect(own).toBe(true);
    expect(other).toBe(false);
  });

  // "Resource": ["arn:aws:s3:::bucket/${aws:PrincipalTag/department}"] and the default value syntax
  // ${aws:PrincipalTag/team, 'company-wide'}.
  it('uses principal tags as variables, with a default value when the tag is missing', () => {
    // Prepare
    const teams = policy('Teams', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team, 'company-wide'}/*",
    });
    const read = (principal: RequestPrincipal, folder: string) =>
      authorize(
        request({
          principal,
          resource: `arn:aws:s3:::amzn-s3-demo-bucket/${folder}/a.txt`,
          identityPolicies: [teams],
        }),
      ).allowed;

    // Act
    const tagged = read(user('Ana', ACCOUNT, { team: 'payments' }), 'payments');
    const taggedElsewhere = read(user('Ana', ACCOUNT, { team: 'payments' }), 'company-wide');
    const untagged = read(user('Luis'), 'company-wide');

    // Assess
    expect([tagged, taggedElsewhere, untagged]).toEqual([true, false, true]);
  });

  // "${*} - use where you need an * (asterisk) character": the escape is not a wildcard.
  it('matches ${*} in a resource only against a literal asterisk', () => {
    // Prepare
    const star = policy('Star', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::bucket/${*}',
    });
    const read = (key: string) =>
      authorize(request({ resource: `arn:aws:s3:::bucket/${key}`, identityPolicies: [star] })).allowed;

    // Act
    const literal = read('*');
    const anyKey = read('secret.txt');

    // Assess
    expect(literal).toBe(true);
    expect(anyKey).toBe(false);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
describe('authorize: conditions', () => {
  // The BooleanExample statement: deny S3 when aws:SecureTransport is false (it is false unless the request says).
  it('denies requests not sent over TLS with the aws:SecureTransport example', () => {
    // Prepare
    const requireTls = policy('RequireTls', {
      Sid: 'BooleanExample',
      Action: 's3:*',
      Effect: 'Deny',
      Resource: ['arn:aws:s3:::DOC-EXAMPLE-BUCKET', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const read = (context?: Record<string, ContextValue>) =>
      authorize(
        request({
          resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/a',
          identityPolicies: [allowS3, requireTls],
          context,
        }),
      ).kind;

    // Act
    const plain = read();
    const tls = read({ 'aws:SecureTransport': true });

    // Assess
    expect(plain).toBe('ExplicitDeny');
    expect(tls).toBe('Allow');
  });

  // The Condition element example: a time window (DateGreaterThan and DateLessThan on aws:CurrentTime) AND a
  // source IP range, all of which must match.
  it.each([
    ['2019-07-16T13:00:00Z', '192.0.2.10', true],
    ['2019-07-16T16:00:00Z', '192.0.2.10', false],
    ['2019-07-16T13:00:00Z', '198.51.100.10', false],
  ])('at %s from %s allows: %s', (currentTime, sourceIp, expected) => {
    // Prepare
    const window = policy('Window', {
      Effect: 'Allow',
      Action: 'iam:*AccessKey*',
      Resource: 'arn:aws:iam::111122223333:user/*',
      Condition: {
        DateGreaterThan: { 'aws:CurrentTime': '2019-07-16T12:00:00Z' },
        DateLessThan: { 'aws:CurrentTime': '2019-07-16T15:00:00Z' },
        IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] },
      },
    });

    // Act
    const decision = authorize(
      request({
        action: 'iam:CreateAccessKey',
        resource: 'arn:aws:iam::111122223333:user/Bob',
        identityPolicies: [window],
        context: { 'aws:CurrentTime': currentTime, 'aws:SourceIp': sourceIp },
      }),
    );

    // Assess
    expect(decision.allowed).toBe(expected);
  });

  // Several keys under one operator are ANDed.
  it('needs every key of an operator to match', () => {
    // Prepare
    const auditors = policy('Auditors', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
          'aws:PrincipalTag/role': ['audit', 'security'],
        },
      },
    });
    const read = (tags: Record<string, string>) =>
      authorize(request({ principal: user('Ana', ACCOUNT, tags), identityPolicies: [auditors] })).allowed;

    // Act
    const both = read({ department: 'hr', role: 'audit' });
    const departmentOnly = read({ department: 'hr', role: 'developer' });
    const roleOnly = read({ role: 'security' });

    // Assess
    expect([both, departmentOnly, roleOnly]).toEqual([true, false, false]);
  });

  // aws:PrincipalArn of a role session is the ARN of the role, not of the session.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
  it('gives a role session the role ARN as aws:PrincipalArn', () => {
    // Prepare
    const roleOnly = policy('RoleOnly', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/reader' } },
    });

    // Act
    const decision = authorize(
      request({ principal: roleSession('reader', 'any-session'), identityPolicies: [roleOnly] }),
    );

    // Assess
    expect(decision.allowed).toBe(true);
  });
});

// API Gateway resource policies with IAM authentication: same account, "Table A": an allow in either the IAM
// policy or the resource policy is enough; cross-account, "Table B": both must allow; an explicit deny wins.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
describe('authorize: API Gateway resource policies', () => {
  const API_ACCOUNT = '111111111111';
  const methodArn = `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:api-id/prod/GET/pets`;
  const invokeApis = policy('InvokeApis', {
    Sid: 'Invoke',
    Effect: 'Allow',
    Action: 'execute-api:Invoke',
    Resource: `arn:aws:execute-api:*:${API_ACCOUNT}:*`,
  });
  const invoke = (principal: RequestPrincipal, identityPolicies: NamedPolicy[], apiPolicy: NamedPolicy) =>
    authorize({
      now: new Date(),
      principal,
      action: 'execute-api:Invoke',
      resource: methodArn,
      resourceAccountId: API_ACCOUNT,
      identityPolicies,
      resourcePolicy: apiPolicy,
      context: { 'aws:SourceIp': '192.0.2.10' },
    });
  const unrelated = policy('api policy', {
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111111111111:role/Admin' },
    Action: 'execute-api:Invoke',
    Resource: `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:api-id/*`,
  });

  it('allows a caller of the API account with an IAM allow only (Table A)', () => {
    // Prepare
    const caller = user('developer', API_ACCOUNT);

    // Act
    const decision = invoke(caller, [invokeApis], unrelated);

    // Assess
    expect(decision).toMatchObject({ allowed: true, decidedBy: [{ policy: 'InvokeApis' }] });
  });

  it('allows a role of the API account named by the resource policy without IAM allow (Table A)', () => {
    // Prepare
    const caller = roleSession('Admin', 'console', API_ACCOUNT);

    // Act
    const decision = invoke(caller, [], unrelated);

    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('needs the resource policy to allow a caller of another account too (Table B)', () => {
    // Prepare
    const caller = user('partner', '222222222222');
    const trustPartner = policy('api policy', {
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::222222222222:root'] },
      Action: 'execute-api:Invoke',
      Resource: [`arn:aws:execute-api:us-east-1:${API_ACCOUNT}:api-id/*/GET/*`],
    });

    // Act
    const iamOnly = invoke(caller, [invokeApis], unrelated);
    const both = invoke(caller, [invokeApis], trustPartner);

    // Assess
    expect(iamOnly.kind).toBe('ImplicitDeny');
    expect(both.allowed).toBe(true);
  });

  // An account-scoped deny with aws:PrincipalAccount ("The AWS account to which the requesting principal
  // belongs", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount).
  it('denies every other account with a Deny on StringNotEquals aws:PrincipalAccount', () => {
    // Prepare
    const ownAccountOnly = policy(
      'api policy',
      {
        Sid: 'Open',
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: `${methodArn.split('/')[0]}/*`,
      },
      {
        Sid: 'OwnAccountOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: `${methodArn.split('/')[0]}/*`,
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': API_ACCOUNT } },
      },
    );

    // Act
    const own = invoke(user('developer', API_ACCOUNT), [], ownAccountOnly);
    const partner = invoke(user('partner', '222222222222'), [invokeApis], ownAccountOnly);

    // Assess
    expect(own.allowed).toBe(true);
    expect(partner).toMatchObject({ kind: 'ExplicitDeny', decidedBy: [{ statement: 'OwnAccountOnly' }] });
  });

  // The resource-policy-only example of the page: allow "*" from 192.0.2.0/24 and 198.51.100.0/24.
  it('allows by source IP with the documented IpAddress example', () => {
    // Prepare
    const byIp = policy('api policy', {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:api-id/*`,
      Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24'] } },
    });
    const caller = user('developer', API_ACCOUNT);

    // Act
    const inRange = invoke(caller, [], byIp);
    const outOfRange = authorize({
      now: new Date(),
      principal: caller,
      action: 'execute-api:Invoke',
      resource: methodArn,
      resourceAccountId: API_ACCOUNT,
      identityPolicies: [],
      resourcePolicy: byIp,
      context: { 'aws:SourceIp': '203.0.113.1' },
    });

    // Assess
    expect(inRange.allowed).toBe(true);
    expect(outOfRange.allowed).toBe(false);
  });

  it('matches execute-api ARNs by stage, method and path wildcards', () => {
    // Prepare
    const getOnly = policy('api policy', {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:user/developer' },
      Action: 'execute-api:Invoke',
      Resource: `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:api-id/*/GET/pets*`,
    });
    const call = (route: string) =>
      authorize({
        now: new Date(),
        principal: user('developer', API_ACCOUNT),
        action: 'execute-api:Invoke',
        resource: `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:api-id/${route}`,
        resourceAccountId: API_ACCOUNT,
        identityPolicies: [],
        resourcePolicy: getOnly,
      }).allowed;

    // Act
    const results = [
      call('prod/GET/pets'),
      call('dev/GET/pets/42'),
      call('prod/POST/pets'),
      call('prod/GET/owners'),
    ];

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });
});

// "For resource-based policies, using a wildcard (*) with an Allow effect grants access to all users, including
// anonymous users (public access)." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
describe('authorize: anonymous callers', () => {
  const anonymous: RequestPrincipal = { arn: '', accountId: '', type: 'Anonymous' };

  it('are allowed by a resource policy that allows "*"', () => {
    // Prepare
    const publicRead = policy('bucket policy', {
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
    });

    // Act
    const decision = authorize(request({ principal: anonymous, resourcePolicy: publicRead }));

    // Assess
    expect(decision).toMatchObject({ allowed: true, decidedBy: [{ statement: 'PublicRead' }] });
  });

  it('are not allowed by a resource policy that names an account', () => {
    // Prepare
    const accountOnly = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: ACCOUNT },
      Action: 's3:GetObject',
      Resource: '*',
    });

    // Act
    const decision = authorize(request({ principal: anonymous, resourcePolicy: accountOnly }));

    // Assess
    expect(decision.allowed).toBe(false);
  });
});

// Session policies: "The permissions for a session are the intersection of the identity-based policies for the IAM
// entity (user or role) used to create the session and the session policies. Permissions can also come from a
// resource-based policy. An explicit deny in any of these policies overrides the allow." ... "A resource-based
// policy can specify the ARN of the session as a principal. In that case, the permissions from the resource-based
// policy are added after the session is created. The resource-based policy permissions are not limited by the
// session policy." https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
describe('authorize: session policies', () => {
  const session = roleSession('Reader', 'limited');
  const readReport = policy('session policy', {
    Sid: 'ReportOnly',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/report.csv',
  });
  const resourcePolicy = (principal: string): NamedPolicy =>
    policy('bucket policy', {
      Sid: 'Grant',
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: 's3:*',
      Resource: '*',
    });

  it.each([
    ['allows what both the role and the session policy allow', 'report.csv', [readReport], true],
    ['denies what the role allows but the session policy does not', 'secret.csv', [readReport], false],
    [
      'denies everything under an empty session policy',
      'report.csv',
      [policy('empty', { Effect: 'Deny', Action: 'x:none', Resource: '*' })],
      false,
    ],
    ['is the role alone without session policies', 'secret.csv', undefined, true],
  ])('%s', (_, object, sessionPolicies, allowed) => {
    // Act
    const decision = authorize(
      request({
        principal: session,
        resource: `arn:aws:s3:::amzn-s3-demo-bucket/${object}`,
        identityPolicies: [allowS3],
        sessionPolicies,
      }),
    );

    // Assess
    expect(decision.allowed).toBe(allowed);
    if (!allowed && sessionPolicies) expect(decision.explanation).toMatch(/session policy/);
  });

  it('lets an explicit deny in the session policy win over the role', () => {
    // Act
    const decision = authorize(
      request({
        principal: session,
        identityPolicies: [allowS3],
        sessionPolicies: [
          readReport,
          policy('deny', { Sid: 'NoReports', Effect: 'Deny', Action: 's3:*', Resource: '*' }),
        ],
      }),
    );

    // Assess
    expect(decision).toMatchObject({ allowed: false, kind: 'ExplicitDeny' });
  });

  it('does not limit a resource policy that names the session ARN itself', () => {
    // Act
    const decision = authorize(
      request({
        principal: session,
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/secret.csv',
        sessionPolicies: [readReport],
        resourcePolicy: resourcePolicy(session.arn),
      }),
    );

    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('limits a resource policy that names the role, not the session', () => {
    // Act
    const decision = authorize(
      request({
        principal: session,
        resource: 'arn:aws:s3:::amzn-s3-demo-bucket/secret.csv',
        sessionPolicies: [readReport],
        resourcePolicy: resourcePolicy(session.roleArn as string),
      }),
    );

    // Assess
    expect(decision.allowed).toBe(false);
  });
});

// "When policy variables reference a condition context key that has no value or is not present in an authorization
// context for a request, the value is effectively null": a Resource or NotResource entry with it "will not match any
// resource", StringEquals and StringLike "do not match", and "inverted condition operators like StringNotEquals or
// StringNotLike do match against a null value". A role session has no aws:username (its table: "not present").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ("Policy variables with no value").
// An older version of the page said instead that an unresolved variable "might cause the entire statement to be
// invalid"; the engine follows the current, specific text, so a policy written for users over-grants to roles here
// exactly as on AWS.
describe('authorize: policy variables without a value', () => {
  const session = roleSession('orders-role', 'fn');

  it('grants nothing through a Resource entry whose variable has no value', () => {
    // Prepare
    const homeOnly = policy('HomeOnly', {
      Sid: 'OwnHome',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::home/${aws:username}/*',
    });

    // Act
    const decision = authorize(
      request({ principal: session, identityPolicies: [homeOnly], resource: 'arn:aws:s3:::home//a' }),
    );

    // Assess
    expect(decision).toMatchObject({ allowed: false, kind: 'ImplicitDeny' });
  });

  it('excludes nothing through a NotResource entry whose variable has no value', () => {
    // Prepare
    const allButHome = policy('AllButHome', {
      Sid: 'NotOwnHome',
      Effect: 'Allow',
      Action: 's3:GetObject',
      NotResource: 'arn:aws:s3:::home/${aws:username}/*',
    });

    // Act
    const forRole = authorize(
      request({ principal: session, identityPolicies: [allButHome], resource: 'arn:aws:s3:::home/Bob/a' }),
    );
    const forUser = authorize(
      request({ identityPolicies: [allButHome], resource: 'arn:aws:s3:::home/Bob/a' }),
    );

    // Assess
    expect(forRole).toMatchObject({ allowed: true, decidedBy: [{ statement: 'NotOwnHome' }] });
    expect(forUser.allowed).toBe(false);
  });

  it('lets StringNotEquals and StringNotLike match, and StringEquals and StringLike not, against a missing value', () => {
    // Prepare
    const statement = (Sid: string, operator: string): PolicyStatement => ({
      Sid,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: '*',
      Condition: { [operator]: { 's3:prefix': 'home/${aws:username}' } },
    });
    const ask = (operator: string) =>
      authorize(
        request({
          principal: session,
          action: 's3:ListBucket',
          identityPolicies: [policy(operator, statement(operator, operator))],
          context: { 's3:prefix': 'home/Bob' },
        }),
      ).allowed;

    // Act
    const results = ['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike'].map(ask);

    // Assess
    expect(results).toEqual([false, false, true, true]);
  });

  it('uses the default of "${aws:username, \'nobody\'}" when there is no value', () => {
    // Prepare
    const withDefault = policy('WithDefault', {
      Sid: 'Default',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: "arn:aws:s3:::home/${aws:username, 'nobody'}/*",
    });

    // Act
    const decision = authorize(
      request({
        principal: session,
        identityPolicies: [withDefault],
        resource: 'arn:aws:s3:::home/nobody/a',
      }),
    );

    // Assess
    expect(decision.allowed).toBe(true);
  });
});

// "You can use a policy variable in the Resource element, but only in the resource portion of the ARN. This portion
// of the ARN appears after the fifth colon (:)." and "You can use a policy variable for Condition values in any
// condition that involves the string operators or the ARN operators."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
describe('authorize: where policy variables are substituted', () => {
  it('substitutes only after the fifth colon of a Resource ARN', () => {
    // Prepare
    const inAccount = policy('InAccount', {
      Sid: 'AccountVariable',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:dynamodb:${aws:RequestedRegion}:${aws:PrincipalAccount}:table/${aws:username}',
    });
    const context = { 'aws:RequestedRegion': 'us-east-1' };

    // Act
    const decision = authorize(
      request({
        identityPolicies: [inAccount],
        context,
        resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Bob`,
      }),
    );
    const literal = authorize(
      request({
        identityPolicies: [inAccount],
        context,
        resource: 'arn:aws:dynamodb:${aws:RequestedRegion}:${aws:PrincipalAccount}:table/Bob',
      }),
    );

    // Assess
    expect(decision.allowed).toBe(false);
    expect(literal.allowed).toBe(true);
  });

  it('takes a substituted value as text: a * in it matches only a *', () => {
    // Prepare
    const byTag = policy('ByTag', {
      Sid: 'TeamPrefix',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::reports/${aws:PrincipalTag/team}/*',
    });
    const principal = user('Bob', ACCOUNT, { team: '*' });

    // Act
    const other = authorize(
      request({ principal, identityPolicies: [byTag], resource: 'arn:aws:s3:::reports/finance/q1' }),
    );
    const literal = authorize(
      request({ principal, identityPolicies: [byTag], resource: 'arn:aws:s3:::reports/*/q1' }),
    );

    // Assess
    expect(other.allowed).toBe(false);
    expect(literal.allowed).toBe(true);
  });

  it('keeps ${...} literal in numeric, date, Boolean and IP address conditions', () => {
    // Prepare
    const numeric = policy('Numeric', {
      Sid: 'NumericVariable',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { NumericLessThan: { 's3:max-keys': '${aws:PrincipalTag/limit}' } },
    });
    const principal = user('Bob', ACCOUNT, { limit: '100' });

    // Act
    const decision = authorize(
      request({ principal, identityPolicies: [numeric], context: { 's3:max-keys': 10 } }),
    );

    // Assess
    expect(decision.allowed).toBe(false);
  });

  it('substitutes in ARN operators', () => {
    // Prepare
    const arnCondition = policy('ArnCondition', {
      Sid: 'OwnRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: {
        ArnLike: { 'iam:AssociatedResourceArn': 'arn:aws:lambda:*:*:function:${aws:username}-*' },
      },
    });

    // Act
    const decision = authorize(
      request({
        action: 'iam:PassRole',
        identityPolicies: [arnCondition],
        context: { 'iam:AssociatedResourceArn': `arn:aws:lambda:us-east-1:${ACCOUNT}:function:Bob-orders` },
      }),
    );

    // Assess
    expect(decision.allowed).toBe(true);
  });
});

// aws:PrincipalArn: "Anonymous requests do not include this key"; aws:PrincipalAccount: "For anonymous requests, the
// request context returns anonymous"; aws:PrincipalType and aws:userid: "included in the request context for all
// requests, including anonymous requests"; aws:PrincipalServiceName: "present in the request when the call is made
// by an AWS service principal".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
describe('authorize: principal condition keys only where AWS sets them', () => {
  const anonymous: RequestPrincipal = { arn: 'anonymous', accountId: '', type: 'Anonymous' };
  const service: RequestPrincipal = { arn: 'apigateway.amazonaws.com', accountId: ACCOUNT, type: 'Service' };
  const publicRead = (condition: PolicyStatement['Condition']): NamedPolicy =>
    policy('public', {
      Sid: 'Public',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: condition,
    });

  it('gives anonymous callers no aws:PrincipalArn, and aws:PrincipalAccount, aws:PrincipalType and aws:userid "anonymous"', () => {
    // Prepare
    const keys = {
      'aws:PrincipalAccount': 'anonymous',
      'aws:PrincipalType': 'Anonymous',
      'aws:userid': 'anonymous',
    };

    // Act
    const noArn = authorize(
      request({ principal: anonymous, resourcePolicy: publicRead({ Null: { 'aws:PrincipalArn': 'true' } }) }),
    );
    const values = authorize(
      request({ principal: anonymous, resourcePolicy: publicRead({ StringEquals: keys }) }),
    );

    // Assess
    expect(noArn.allowed).toBe(true);
    expect(values.allowed).toBe(true);
  });

  it('gives a service principal aws:PrincipalIsAWSService and aws:PrincipalServiceName, no principal ARN', () => {
    // Prepare
    const byService = publicRead({
      Bool: { 'aws:PrincipalIsAWSService': 'true' },
      StringEquals: { 'aws:PrincipalServiceName': 'apigateway.amazonaws.com' },
      Null: { 'aws:PrincipalArn': 'true' },
    });

    // Act
    const decision = authorize(request({ principal: service, resourcePolicy: byService }));
    const byUser = authorize(
      request({
        principal: user('Bob', OTHER_ACCOUNT),
        identityPolicies: [allowS3],
        resourcePolicy: byService,
      }),
    );

    // Assess
    expect(decision.allowed).toBe(true);
    expect(byUser.allowed).toBe(false);
  });
});

// "All requests are implicitly denied with the exception of the AWS account root user, which has full access"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html), but "You cannot use AWS account root user
// credentials to call AssumeRole" (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
describe('authorize: the root user', () => {
  const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, type: 'Account' };

  it('is allowed within its account without any policy, and an explicit deny still wins', () => {
    // Prepare
    const denyPolicy: NamedPolicy = {
      name: 'bucket policy',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'NoOne', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
      },
    };

    // Act
    const allowed = authorize(request({ principal: root }));
    const denied = authorize(request({ principal: root, resourcePolicy: denyPolicy }));
    const otherAccount = authorize(request({ principal: root, resourceAccountId: OTHER_ACCOUNT }));

    // Assess
    expect(allowed).toMatchObject({ allowed: true, decidedBy: [] });
    expect(denied).toMatchObject({ allowed: false, kind: 'ExplicitDeny', policyType: 'resource-based' });
    expect(otherAccount.allowed).toBe(false);
  });

  it('needs, in another account, the resource policy’s allow only (its full access is the identity side)', () => {
    // Prepare
    const trustsRootAccount: NamedPolicy = {
      name: 'bucket policy',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OtherAccount',
            Effect: 'Allow',
            Principal: { AWS: ACCOUNT },
            Action: 's3:GetObject',
            Resource: '*',
          },
        ],
      },
    };

    // Act
    const allowed = authorize(
      request({ principal: root, resourceAccountId: OTHER_ACCOUNT, resourcePolicy: trustsRootAccount }),
    );

    // Assess
    expect(allowed).toMatchObject({ allowed: true, decidedBy: [{ statement: 'OtherAccount' }] });
  });

  it('cannot assume a role', () => {
    // Prepare
    const trust: NamedPolicy = {
      name: 'trust policy',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }],
      },
    };

    // Act
    const decision = authorize(
      request({
        principal: root,
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/r`,
        resourcePolicy: trust,
      }),
    );

    // Assess
    expect(decision.allowed).toBe(false);
  });
});

// "User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: ... because no identity-based policy
// allows the ... action", "... with an explicit deny in an identity-based policy", and the resource-based and session
// variants. https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
describe('accessDeniedMessage', () => {
  it('names the kind of policy that denied or lacks an allow', () => {
    // Prepare
    const session = roleSession('orders-role', 'fn');
    const denyAll = policy('DenyAll', { Sid: 'No', Effect: 'Deny', Action: '*', Resource: '*' });
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
    const ask = (fields: Partial<AuthorizationRequest>) =>
      accessDeniedMessage(
        session.arn,
        'dynamodb:PutItem',
        table,
        authorize(request({ principal: session, action: 'dynamodb:PutItem', resource: table, ...fields })),
      );

    // Act
    const implicit = ask({});
    const explicit = ask({ identityPolicies: [denyAll] });
    const sessionLacks = ask({
      identityPolicies: [allowS3],
      sessionPolicies: [policy('session', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })],
      action: 's3:PutObject',
    });

    // Assess
    expect(implicit).toBe(
      `User: ${session.arn} is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action`,
    );
    expect(explicit).toBe(
      `User: ${session.arn} is not authorized to perform: dynamodb:PutItem on resource: ${table} with an explicit deny in an identity-based policy`,
    );
    expect(sessionLacks).toContain('because no session policy allows the dynamodb:PutItem action');
  });
});

describe('authorize: context values worked out on demand', () => {
  it('computes a lazy key only when a condition reads it, and once', () => {
    // Prepare
    let computed = 0;
    const attributes = () => {
      computed++;
      return ['id', 'name'];
    };
    const plain = policy('Plain', {
      Sid: 'Plain',
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: '*',
    });
    const columns = policy('Columns', {
      Sid: 'Columns',
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'name'] },
        'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['name'] },
      },
    });
    const ask = (identityPolicies: NamedPolicy[]) =>
      authorize(
        request({
          action: 'dynamodb:GetItem',
          identityPolicies,
          context: { 'dynamodb:Attributes': attributes },
        }),
      );

    // Act
    const withoutCondition = ask([plain]);
    const countAfterPlain = computed;
    const withCondition = ask([columns]);

    // Assess
    expect(withoutCondition.allowed).toBe(true);
    expect(countAfterPlain).toBe(0);
    expect(withCondition.allowed).toBe(true);
    expect(computed).toBe(1);
  });
});

// Every signed request asks the engine for a decision; on policies without conditions or variables it is the same
// every time for the same principal, action, resource and policies, so the engine remembers it. Whatever the request
// context can change (conditions, variables) is decided afresh.
describe('authorize: remembered decisions', () => {
  const table = 'arn:aws:dynamodb:us-east-1:111122223333:table/orders';

  it('answers a repeated request on context-free policies with the same frozen decision', () => {
    // Prepare
    const ask = () => request({ identityPolicies: [allowS3] });

    // Act
    const first = authorize(ask());
    const second = authorize(ask());

    // Assess
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.decidedBy)).toBe(true);
    expect(first.allowed).toBe(true);
  });

  it('keeps deciding per principal, action, resource and policy name', () => {
    // Prepare: one document, one remembered decision each, none answering for another.
    const document: PolicyDocument = {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table },
    };
    const named = (name: string): NamedPolicy => ({ name, document });
    const ask = (fields: Partial<AuthorizationRequest>) =>
      authorize(
        request({ action: 'dynamodb:GetItem', resource: table, identityPolicies: [named('A')], ...fields }),
      );

    // Act
    const answers = [
      ask({}),
      ask({ action: 'dynamodb:PutItem' }),
      ask({ resource: `${table}-archive` }),
      ask({ principal: user('Alice', OTHER_ACCOUNT) }),
      ask({ identityPolicies: [named('B')] }),
      ask({}),
    ];

    // Assess
    expect(answers.map((decision) => decision.allowed)).toEqual([true, false, false, false, true, true]);
    expect(answers[4]?.explanation).toContain('of B');
    expect(answers[5]?.explanation).toContain('of A');
  });

  it('keeps deciding per principal ARN and per resource policy, present or not', () => {
    // Prepare: the same account, no identity policies: only the resource policy naming Alice can allow.
    const namesAlice: NamedPolicy = policy('bucket policy', {
      Effect: 'Allow',
      Principal: { AWS: user('Alice').arn },
      Action: 's3:GetObject',
      Resource: '*',
    });
    const ask = (name: string, resourcePolicy?: NamedPolicy) =>
      authorize(request({ principal: user(name), resourcePolicy })).allowed;

    // Act
    const decisions = [
      ask('Alice', namesAlice),
      ask('Bob', namesAlice),
      ask('Alice'),
      ask('Alice', namesAlice),
    ];

    // Assess
    expect(decisions).toEqual([true, false, false, true]);
  });

  it('decides a new document under an old name afresh (a changed policy is a new document)', () => {
    // Prepare
    const version = (effect: 'Allow' | 'Deny') =>
      policy('Reports', { Effect: effect, Action: 's3:GetObject', Resource: '*' });

    // Act
    const before = authorize(request({ identityPolicies: [version('Allow')] }));
    const after = authorize(request({ identityPolicies: [version('Deny')] }));

    // Assess
    expect(before.allowed).toBe(true);
    expect(after.kind).toBe('ExplicitDeny');
  });

  it('takes "Condition": null as no condition, as validation does', () => {
    // Prepare
    const nullCondition = {
      name: 'NullCondition',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: null }],
      } as unknown as PolicyDocument,
    };

    // Act
    const decisions = [1, 2].map(() => authorize(request({ identityPolicies: [nullCondition] })));

    // Assess
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true]);
  });

  it('remembers nothing for a request with a very long resource, and still decides it', () => {
    // Prepare: a gateway path can be ~10 KB; such keys are not kept.
    const ask = () =>
      request({ identityPolicies: [allowS3], resource: `arn:aws:s3:::bucket/${'a'.repeat(3000)}` });

    // Act
    const first = authorize(ask());
    const second = authorize(ask());

    // Assess
    expect([first.allowed, second.allowed]).toEqual([true, true]);
    expect(second).not.toBe(first);
  });

  it('tells no session policies from an empty list of them', () => {
    // Prepare
    const session = roleSession('Reader', 's1');

    // Act
    const withoutSessionPolicies = authorize(request({ principal: session, identityPolicies: [allowS3] }));
    const withEmptyList = authorize(
      request({ principal: session, identityPolicies: [allowS3], sessionPolicies: [] }),
    );

    // Assess
    expect(withoutSessionPolicies.allowed).toBe(true);
    expect(withEmptyList.allowed).toBe(false);
  });

  it('decides a policy with a condition again for every request: aws:SourceIp', () => {
    // Prepare
    const fromOffice = policy('Office', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    const from = (ip: string) =>
      authorize(request({ identityPolicies: [fromOffice], context: { 'aws:SourceIp': ip } }));

    // Act
    const decisions = ['10.0.0.1', '192.0.2.1', '10.0.0.2', '192.0.2.1'].map((ip) => from(ip).allowed);

    // Assess
    expect(decisions).toEqual([true, false, true, false]);
  });

  it('decides a policy with a condition again for every request: aws:CurrentTime and principal tags', () => {
    // Prepare: the same principal ARN and documents, a different clock and tags.
    const untilNoon = policy('UntilNoon', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-02T12:00:00Z' } },
    });
    const teamOnly = policy('TeamOnly', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'shop' } },
    });

    // Act
    const atTime = (iso: string) =>
      authorize(request({ identityPolicies: [untilNoon], now: new Date(iso) })).allowed;
    const tagged = (team: string) =>
      authorize(request({ principal: user('Bob', ACCOUNT, { team }), identityPolicies: [teamOnly] })).allowed;

    // Assess
    expect([
      atTime('2026-12-02T11:00:00Z'),
      atTime('2026-12-02T13:00:00Z'),
      atTime('2026-12-02T11:30:00Z'),
    ]).toEqual([true, false, true]);
    expect([tagged('shop'), tagged('ops'), tagged('shop')]).toEqual([true, false, true]);
  });

  it('resolves a policy variable in Resource for every request', () => {
    // Prepare: two principals sharing one ARN but not their aws:username, one document with ${aws:username}.
    const ownFolder = policy('OwnFolder', {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::home/${aws:username}/*',
    });
    const ask = (name: string, folder: string) =>
      authorize(
        request({
          principal: { ...user(name), arn: 'arn:aws:iam::111122223333:user/same-arn' },
          identityPolicies: [ownFolder],
          resource: `arn:aws:s3:::home/${folder}/file`,
        }),
      ).allowed;

    // Act
    const decisions = [ask('alice', 'alice'), ask('bob', 'alice'), ask('alice', 'alice')];

    // Assess
    expect(decisions).toEqual([true, false, true]);
  });
});
