import { validatePolicyDocument } from './validate';

describe('validatePolicyDocument', () => {
  // The ReadCustomers-style identity policy of the variables page, which IAM accepts.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  it('finds no problem in a valid identity policy', () => {
    // Prepare
    const document = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: ['arn:aws:s3:::mybucket/${aws:username}/*'],
          Condition: { 'ForAnyValue:StringLikeIfExists': { 's3:prefix': ['${aws:username}/*'] } },
        },
      ],
    };

    // Act
    const problems = validatePolicyDocument(document, 'identity');

    // Assess
    expect(problems).toEqual([]);
  });

  it('accepts a single statement object as well as an array', () => {
    // Prepare
    const document = {
      Version: '2012-10-17',
      Statement: { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' },
    };

    // Act
    const problems = validatePolicyDocument(document, 'identity');

    // Assess
    expect(problems).toEqual([]);
  });

  it('refuses what is not a policy object or has no Statement', () => {
    // Prepare
    const notObjects: unknown[] = [null, 'policy', 42];

    // Act
    const problems = notObjects.map((document) => validatePolicyDocument(document, 'identity'));
    const withoutStatement = validatePolicyDocument({ Version: '2012-10-17' }, 'identity');

    // Assess
    expect(problems).toEqual([
      ['policy must be an object'],
      ['policy must be an object'],
      ['policy must be an object'],
    ]);
    expect(withoutStatement).toEqual(['policy has no Statement']);
  });

  // The Effect element is required and is either Allow or Deny.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
  it('names each statement whose Effect is not Allow or Deny, or which is not an object', () => {
    // Prepare
    const document = {
      Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }, 'Allow everything'],
    };

    // Act
    const problems = validatePolicyDocument(document, 'identity');

    // Assess
    expect(problems).toEqual(['Statement[0].Effect must be Allow or Deny', 'Statement[1] must be an object']);
  });

  // A statement has an Action or a NotAction element.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
  it('needs exactly one of Action or NotAction', () => {
    // Prepare
    const document = {
      Statement: [
        { Effect: 'Allow', Resource: '*' },
        { Effect: 'Allow', Action: 's3:*', NotAction: 's3:DeleteBucket', Resource: '*' },
      ],
    };

    // Act
    const problems = validatePolicyDocument(document, 'identity');

    // Assess
    expect(problems).toEqual([
      'Statement[0] needs exactly one of Action or NotAction',
      'Statement[1] needs exactly one of Action or NotAction',
    ]);
  });

  // "You cannot use the Principal element in an identity-based policy." / "You must use the Principal element in
  // resource-based policies." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it('refuses Principal in identity policies and requires Principal or NotPrincipal in resource policies', () => {
    // Prepare
    const withPrincipal = {
      Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sqs:*', Resource: '*' }],
    };
    const withNotPrincipal = {
      Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: '123456789012' }, Action: 'sqs:*', Resource: '*' }],
    };
    const withoutPrincipal = { Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] };

    // Act
    const identity = validatePolicyDocument(withPrincipal, 'identity');
    const resource = validatePolicyDocument(withoutPrincipal, 'resource');
    const resourceWithNotPrincipal = validatePolicyDocument(withNotPrincipal, 'resource');

    // Assess
    expect(identity).toEqual(['Statement[0]: identity policies cannot have Principal']);
    expect(resource).toEqual(['Statement[0]: resource policies need a Principal']);
    expect(resourceWithNotPrincipal).toEqual([]);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  it('names unknown condition operators, NullIfExists included', () => {
    // Prepare
    const document = {
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ec2:*',
          Resource: '*',
          Condition: {
            StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'ops' },
            StringContains: { 'aws:PrincipalTag/team': 'ops' },
            NullIfExists: { 'aws:TokenIssueTime': 'true' },
          },
        },
      ],
    };

    // Act
    const problems = validatePolicyDocument(document, 'identity');

    // Assess
    expect(problems).toEqual([
      'Statement[0]: unknown condition operator StringContains',
      'Statement[0]: unknown condition operator NullIfExists',
    ]);
  });

  // "Statements must include either a Resource or a NotResource element."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
  it('refuses identity and resource policy statements without Resource or NotResource', () => {
    // Prepare
    const noResource = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem' }],
    };
    const resourceNoResource = {
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke' }],
    };

    // Act
    const identity = validatePolicyDocument(noResource, 'identity');
    const resource = validatePolicyDocument(resourceNoResource, 'resource');

    // Assess
    expect(identity).toEqual(['Statement[0] needs a Resource or NotResource element']);
    expect(resource).toEqual(['Statement[0] needs a Resource or NotResource element']);
  });

  // A role trust policy names the principals that may assume the role; the role itself is the resource, and IAM
  // refuses a trust policy with Resource ("Has prohibited field Resource").
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it('refuses Resource in a trust policy and accepts one without', () => {
    // Prepare
    const statement = {
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    };

    // Act
    const withResource = validatePolicyDocument({ Statement: [{ ...statement, Resource: '*' }] }, 'trust');
    const without = validatePolicyDocument({ Statement: [statement] }, 'trust');

    // Assess
    expect(withResource).toEqual([
      'Statement[0]: a role trust policy cannot have Resource or NotResource (the role is the resource)',
    ]);
    expect(without).toEqual([]);
  });

  // "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported." and "You cannot
  // use the NotPrincipal element in an IAM identity-based policy nor in an IAM role trust policy."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  it('refuses NotPrincipal with Allow, and in trust policies, and accepts it with Deny', () => {
    // Prepare
    const statement = { NotPrincipal: { AWS: '123456789012' }, Action: 'sqs:*', Resource: '*' };

    // Act
    const allow = validatePolicyDocument({ Statement: [{ ...statement, Effect: 'Allow' }] }, 'resource');
    const deny = validatePolicyDocument({ Statement: [{ ...statement, Effect: 'Deny' }] }, 'resource');
    const trust = validatePolicyDocument(
      { Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }] },
      'trust',
    );

    // Assess
    expect(allow).toEqual([
      'Statement[0]: NotPrincipal with "Effect": "Allow" is refused: use it only with Deny',
    ]);
    expect(deny).toEqual([]);
    expect(trust).toEqual(['Statement[0]: a role trust policy cannot use NotPrincipal']);
  });

  // "You cannot use a wildcard to match part of a principal name or ARN."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it('refuses a wildcard inside a principal, and accepts "*" alone', () => {
    // Prepare
    const statement = (principal: unknown) => ({
      Statement: [{ Effect: 'Allow', Principal: principal, Action: 'execute-api:Invoke', Resource: '*' }],
    });

    // Act
    const partial = validatePolicyDocument(
      statement({ AWS: 'arn:aws:iam::123456789012:user/*' }),
      'resource',
    );
    const everyone = validatePolicyDocument(statement({ AWS: '*' }), 'resource');

    // Assess
    expect(partial).toEqual([
      'Statement[0]: a principal cannot contain a wildcard (arn:aws:iam::123456789012:user/*): name it, or use "*" alone',
    ]);
    expect(everyone).toEqual([]);
  });
});
