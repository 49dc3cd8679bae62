import { evaluateCondition, isKnownOperator } from './conditions';
import type { ContextValue } from './types';

/** One condition operator over one key, against a request context of `values`, without policy variables. */
function evaluate(
  operator: string,
  key: string,
  expected: unknown,
  values: Record<string, ContextValue> = {},
): boolean | 'unresolved' {
  return evaluateCondition(operator, key, expected, (name) => values[name], false);
}

// String condition operators
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
describe('string condition operators', () => {
  it('StringEquals matches exactly and case-sensitively (the job-category example)', () => {
    // Prepare
    const policyValue = 'iamuser-admin';

    // Act
    const exact = evaluate('StringEquals', 'aws:PrincipalTag/job-category', policyValue, {
      'aws:PrincipalTag/job-category': 'iamuser-admin',
    });
    const otherCase = evaluate('StringEquals', 'aws:PrincipalTag/job-category', policyValue, {
      'aws:PrincipalTag/job-category': 'IAMUser-Admin',
    });

    // Assess
    expect(exact).toBe(true);
    expect(otherCase).toBe(false);
  });

  it('StringEqualsIgnoreCase and StringNotEqualsIgnoreCase ignore case', () => {
    // Prepare
    const context = { 'aws:PrincipalTag/job-category': 'IAMUser-Admin' };

    // Act
    const equals = evaluate(
      'StringEqualsIgnoreCase',
      'aws:PrincipalTag/job-category',
      'iamuser-admin',
      context,
    );
    const notEquals = evaluate(
      'StringNotEqualsIgnoreCase',
      'aws:PrincipalTag/job-category',
      'iamuser-admin',
      context,
    );

    // Assess
    expect(equals).toBe(true);
    expect(notEquals).toBe(false);
  });

  // The ec2:InstanceType example of the ...IfExists section: "t1.*", "t2.*", "m3.*".
  it.each([
    ['t2.micro', true],
    ['m3.medium', true],
    ['t1.micro', true],
    ['c5.large', false],
    ['T2.micro', false],
  ])('StringLike matches %s against t1.*, t2.* or m3.*: %s', (instanceType, expected) => {
    // Prepare
    const patterns = ['t1.*', 't2.*', 'm3.*'];

    // Act
    const matched = evaluate('StringLike', 'ec2:InstanceType', patterns, {
      'ec2:InstanceType': instanceType,
    });

    // Assess
    expect(matched).toBe(expected);
  });

  // "You must specify wildcards to achieve partial string matches."
  it('StringLike needs a wildcard for a partial match, and ? matches one character', () => {
    // Prepare
    const context = { 's3:prefix': 'home/David/' };

    // Act
    const withoutWildcard = evaluate('StringLike', 's3:prefix', 'home/', context);
    const withWildcard = evaluate('StringLike', 's3:prefix', 'home/*', context);
    const singleCharacter = evaluate('StringLike', 's3:prefix', 'home/Davi?/', context);

    // Assess
    expect(withoutWildcard).toBe(false);
    expect(withWildcard).toBe(true);
    expect(singleCharacter).toBe(true);
  });

  it('StringNotLike is true only when the value matches none of the patterns', () => {
    // Prepare
    const patterns = ['home/*', 'shared/*'];

    // Act
    const matchesOne = evaluate('StringNotLike', 's3:prefix', patterns, { 's3:prefix': 'shared/x' });
    const matchesNone = evaluate('StringNotLike', 's3:prefix', patterns, { 's3:prefix': 'private/x' });

    // Assess
    expect(matchesOne).toBe(false);
    expect(matchesNone).toBe(true);
  });
});

// Several values for one context key are evaluated with a logical OR; with a negated operator the request value
// must match none of them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
describe('several values for one key', () => {
  it('are ORed by a positive operator', () => {
    // Prepare
    const departments = ['finance', 'hr', 'legal'];

    // Act
    const hr = evaluate('StringEquals', 'aws:PrincipalTag/department', departments, {
      'aws:PrincipalTag/department': 'hr',
    });
    const engineering = evaluate('StringEquals', 'aws:PrincipalTag/department', departments, {
      'aws:PrincipalTag/department': 'engineering',
    });

    // Assess
    expect(hr).toBe(true);
    expect(engineering).toBe(false);
  });

  it('must all differ for a negated operator', () => {
    // Prepare
    const departments = ['finance', 'hr', 'legal'];

    // Act
    const hr = evaluate('StringNotEquals', 'aws:PrincipalTag/department', departments, {
      'aws:PrincipalTag/department': 'hr',
    });
    const engineering = evaluate('StringNotEquals', 'aws:PrincipalTag/department', departments, {
      'aws:PrincipalTag/department': 'engineering',
    });

    // Assess
    expect(hr).toBe(false);
    expect(engineering).toBe(true);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
describe('numeric condition operators', () => {
  // The s3:max-keys example: "the requester can list up to 10 objects".
  it.each([
    ['8', true],
    ['10', true],
    ['11', false],
  ])('NumericLessThanEquals 10 with s3:max-keys %s is %s', (maxKeys, expected) => {
    // Prepare
    const context = { 's3:max-keys': maxKeys };

    // Act
    const matched = evaluate('NumericLessThanEquals', 's3:max-keys', '10', context);

    // Assess
    expect(matched).toBe(expected);
  });

  it.each([
    ['NumericEquals', '10', true],
    ['NumericEquals', '10.0', true],
    ['NumericNotEquals', '10', false],
    ['NumericNotEquals', '9', true],
    ['NumericLessThan', '10', false],
    ['NumericLessThan', '11', true],
    ['NumericGreaterThan', '9.5', true],
    ['NumericGreaterThan', '10', false],
    ['NumericGreaterThanEquals', '10', true],
  ])('%s %s against the number 10 of the request is %s', (operator, policyValue, expected) => {
    // Prepare
    const context = { 's3:max-keys': 10 };

    // Act
    const matched = evaluate(operator, 's3:max-keys', policyValue, context);

    // Assess
    expect(matched).toBe(expected);
  });
});

// "You must specify date/time values with one of the W3C implementations of the ISO 8601 date formats or in epoch
// (UNIX) time."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
describe('date condition operators', () => {
  // The aws:TokenIssueTime example: credentials issued after 2020-01-01T00:00:01Z.
  it('DateGreaterThan compares instants', () => {
    // Prepare
    const policyValue = '2020-01-01T00:00:01Z';

    // Act
    const later = evaluate('DateGreaterThan', 'aws:TokenIssueTime', policyValue, {
      'aws:TokenIssueTime': '2020-03-04T10:00:00Z',
    });
    const earlier = evaluate('DateGreaterThan', 'aws:TokenIssueTime', policyValue, {
      'aws:TokenIssueTime': '2019-12-31T23:59:59Z',
    });

    // Assess
    expect(later).toBe(true);
    expect(earlier).toBe(false);
  });

  it('compares epoch time with ISO 8601 dates', () => {
    // Prepare
    const context = { 'aws:EpochTime': '1563278400' }; // 2019-07-16T12:00:00Z

    // Act
    const equals = evaluate('DateEquals', 'aws:EpochTime', '2019-07-16T12:00:00Z', context);
    const before = evaluate('DateLessThan', 'aws:EpochTime', '2019-07-16T12:00:01Z', context);

    // Assess
    expect(equals).toBe(true);
    expect(before).toBe(true);
  });

  it.each([
    ['DateNotEquals', '2019-07-16T12:00:00Z', false],
    ['DateNotEquals', '2019-07-16T12:00:01Z', true],
    ['DateLessThanEquals', '2019-07-16T12:00:00Z', true],
    ['DateLessThan', '2019-07-16T12:00:00Z', false],
    ['DateGreaterThanEquals', '2019-07-16T12:00:00Z', true],
    ['DateGreaterThan', '2019-07-16T12:00:00Z', false],
  ])('%s %s at 2019-07-16T12:00:00Z is %s', (operator, policyValue, expected) => {
    // Prepare
    const context = { 'aws:CurrentTime': '2019-07-16T12:00:00Z' };

    // Act
    const matched = evaluate(operator, 'aws:CurrentTime', policyValue, context);

    // Assess
    expect(matched).toBe(expected);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
describe('Bool and BinaryEquals', () => {
  it('Bool compares "true" and "false" with boolean and text values of the request', () => {
    // Prepare
    const insecure = { 'aws:SecureTransport': false };
    const secure = { 'aws:SecureTransport': 'true' };

    // Act
    const results = [
      evaluate('Bool', 'aws:SecureTransport', 'false', insecure),
      evaluate('Bool', 'aws:SecureTransport', 'false', secure),
      evaluate('Bool', 'aws:SecureTransport', true, secure),
    ];

    // Assess
    expect(results).toEqual([true, false, true]);
  });

  it('BinaryEquals compares the base-64 text byte for byte', () => {
    // Prepare
    const policyValue = 'QmluYXJ5VmFsdWVJbkJhc2U2NA==';

    // Act
    const same = evaluate('BinaryEquals', 'key', policyValue, { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' });
    const other = evaluate('BinaryEquals', 'key', policyValue, { key: 'QmluYXJ5' });

    // Assess
    expect(same).toBe(true);
    expect(other).toBe(false);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
describe('IP address condition operators', () => {
  it.each([
    ['203.0.113.0', true],
    ['203.0.113.255', true],
    ['203.0.114.1', false],
  ])('IpAddress 203.0.113.0/24 with aws:SourceIp %s is %s', (sourceIp, expected) => {
    // Prepare
    const context = { 'aws:SourceIp': sourceIp };

    // Act
    const matched = evaluate('IpAddress', 'aws:SourceIp', '203.0.113.0/24', context);

    // Assess
    expect(matched).toBe(expected);
  });

  // "If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32."
  it('reads an address without prefix as /32', () => {
    // Prepare
    const policyValue = '192.0.2.10';

    // Act
    const same = evaluate('IpAddress', 'aws:SourceIp', policyValue, { 'aws:SourceIp': '192.0.2.10' });
    const neighbour = evaluate('IpAddress', 'aws:SourceIp', policyValue, { 'aws:SourceIp': '192.0.2.11' });

    // Assess
    expect(same).toBe(true);
    expect(neighbour).toBe(false);
  });

  // The example that mixes IPv4 and IPv6: ["203.0.113.0/24", "2001:DB8:1234:5678::/64"].
  it('mixes IPv4 and IPv6 ranges', () => {
    // Prepare
    const ranges = ['203.0.113.0/24', '2001:DB8:1234:5678::/64'];

    // Act
    const v6Inside = evaluate('IpAddress', 'aws:SourceIp', ranges, {
      'aws:SourceIp': '2001:db8:1234:5678::1',
    });
    const v6Outside = evaluate('IpAddress', 'aws:SourceIp', ranges, {
      'aws:SourceIp': '2001:db8:1234:5679::1',
    });
    const v4Inside = evaluate('IpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '203.0.113.7' });

    // Assess
    expect(v6Inside).toBe(true);
    expect(v6Outside).toBe(false);
    expect(v4Inside).toBe(true);
  });

  it('NotIpAddress matches every address outside the ranges', () => {
    // Prepare
    const ranges = ['192.0.2.0/24', '198.51.100.0/24'];

    // Act
    const inside = evaluate('NotIpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '198.51.100.20' });
    const outside = evaluate('NotIpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '203.0.113.1' });

    // Assess
    expect(inside).toBe(false);
    expect(outside).toBe(true);
  });
});

// "Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character
// match wildcards (*) or single-character match wildcards (?)."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
describe('ARN condition operators', () => {
  it('ArnLike matches component by component where StringLike crosses colons (the documented example)', () => {
    // Prepare
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    const context = {
      'aws:SourceArn':
        'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
    };

    // Act
    const stringLike = evaluate('StringLike', 'aws:SourceArn', pattern, context);
    const arnLike = evaluate('ArnLike', 'aws:SourceArn', pattern, context);

    // Assess
    expect(stringLike).toBe(true);
    expect(arnLike).toBe(false);
  });

  it('ArnEquals and ArnLike behave identically, wildcards included', () => {
    // Prepare
    const context = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:root' };

    // Act
    const arnEquals = evaluate('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::*:root', context);
    const arnLike = evaluate('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:root', context);

    // Assess
    expect(arnEquals).toBe(true);
    expect(arnLike).toBe(true);
  });

  // The SQS queue policy example: SNS may send only on behalf of one topic.
  it('ArnEquals is case-sensitive and ArnNotEquals is its complement', () => {
    // Prepare
    const topic = 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID';
    const context = { 'aws:SourceArn': topic };
    const lowerCase = { 'aws:SourceArn': topic.toLowerCase() };

    // Act
    const results = [
      evaluate('ArnEquals', 'aws:SourceArn', topic, context),
      evaluate('ArnEquals', 'aws:SourceArn', topic, lowerCase),
      evaluate('ArnNotEquals', 'aws:SourceArn', topic, context),
      evaluate('ArnNotLike', 'aws:SourceArn', topic, lowerCase),
    ];

    // Assess
    expect(results).toEqual([true, false, false, true]);
  });
});

// "If the key that you specify in a policy condition is not present in the request context, the values do not
// match and the condition is false. If the policy condition requires that the key is not matched, such as
// StringNotLike or ArnNotLike, and the right key is not present, the condition is true."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
describe('a key missing from the request context', () => {
  it.each([
    ['StringEquals', 'x'],
    ['StringLike', '*'],
    ['NumericLessThan', '10'],
    ['DateGreaterThan', '2020-01-01T00:00:00Z'],
    ['Bool', 'false'],
    ['IpAddress', '0.0.0.0/0'],
    ['ArnLike', 'arn:aws:*:*:*:*'],
  ])('makes the positive operator %s false', (operator, policyValue) => {
    // Prepare
    const context = {};

    // Act
    const matched = evaluate(operator, 'aws:TokenIssueTime', policyValue, context);

    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    ['StringNotEquals', 'x'],
    ['StringNotLike', '*'],
    ['NumericNotEquals', '10'],
    ['DateNotEquals', '2020-01-01T00:00:00Z'],
    ['NotIpAddress', '0.0.0.0/0'],
    ['ArnNotLike', 'arn:aws:*:*:*:*'],
  ])('makes the negated operator %s true', (operator, policyValue) => {
    // Prepare
    const context = {};

    // Act
    const matched = evaluate(operator, 'aws:TokenIssueTime', policyValue, context);

    // Assess
    expect(matched).toBe(true);
  });

  it('is looked up by the name the policy gives', () => {
    // Prepare
    const context = { 'aws:SourceIp': '203.0.113.1' };

    // Act
    const matched = evaluate('IpAddress', 'aws:SourceIp', '203.0.113.0/24', context);
    const otherKey = evaluate('IpAddress', 'aws:VpcSourceIp', '203.0.113.0/24', context);

    // Assess
    expect(matched).toBe(true);
    expect(otherKey).toBe(false);
  });
});

// "If the policy key is present in the context of the request, process the key as specified in the policy. If the
// key is not present, evaluate the condition element as true."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
describe('...IfExists operators', () => {
  it('StringLikeIfExists is true without the key and checks the key when it is there', () => {
    // Prepare
    const patterns = ['t1.*', 't2.*', 'm3.*'];

    // Act
    const missing = evaluate('StringLikeIfExists', 'ec2:InstanceType', patterns, {});
    const allowedType = evaluate('StringLikeIfExists', 'ec2:InstanceType', patterns, {
      'ec2:InstanceType': 't2.micro',
    });
    const otherType = evaluate('StringLikeIfExists', 'ec2:InstanceType', patterns, {
      'ec2:InstanceType': 'c5.large',
    });

    // Assess
    expect(missing).toBe(true);
    expect(allowedType).toBe(true);
    expect(otherType).toBe(false);
  });

  // "If you are using an "Effect": "Deny" element with a negated condition operator like StringNotEqualsIfExists,
  // the request is still denied even if the tag is missing."
  it('StringNotEqualsIfExists is true without the key', () => {
    // Prepare
    const context = {};

    // Act
    const matched = evaluate('StringNotEqualsIfExists', 'aws:PrincipalTag/team', 'admins', context);

    // Assess
    expect(matched).toBe(true);
  });
});

// "Use a Null condition operator to check if a condition key is absent at the time of authorization. In the policy
// statement, use either true (the key doesn't exist - it is null) or false (the key exists and its value is not
// null)." https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
describe('the Null operator', () => {
  it('with true is true only when the key is missing (the aws:TokenIssueTime example)', () => {
    // Prepare
    const temporaryCredentials = { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' };

    // Act
    const longTermKeys = evaluate('Null', 'aws:TokenIssueTime', 'true', {});
    const sessionKeys = evaluate('Null', 'aws:TokenIssueTime', 'true', temporaryCredentials);

    // Assess
    expect(longTermKeys).toBe(true);
    expect(sessionKeys).toBe(false);
  });

  it('with false is true only when the key is present', () => {
    // Prepare
    const temporaryCredentials = { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' };

    // Act
    const longTermKeys = evaluate('Null', 'aws:TokenIssueTime', 'false', {});
    const sessionKeys = evaluate('Null', 'aws:TokenIssueTime', false, temporaryCredentials);

    // Assess
    expect(longTermKeys).toBe(false);
    expect(sessionKeys).toBe(true);
  });
});

// Multivalued context keys and the ForAllValues / ForAnyValue set operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
describe('set operators on multivalued keys', () => {
  // "Deny a single policy condition value for a multivalued context key": the DenyRestrictedTags statement with
  // "ForAllValues:StringNotLike": { "aws:TagKeys": "key1*" } and its table of results.
  it.each<[string, string[] | undefined, boolean]>([
    ['key1:legal', ['key1:legal'], false],
    ['key1:hr and key1:personnel', ['key1:hr', 'key1:personnel'], false],
    ['key2:audit', ['key2:audit'], true],
    ['no aws:TagKeys', undefined, true],
  ])('ForAllValues:StringNotLike key1* with %s matches: %s', (_label, tagKeys, expected) => {
    // Prepare
    const context: Record<string, ContextValue> = tagKeys ? { 'aws:TagKeys': tagKeys } : {};

    // Act
    const matched = evaluate('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', context);

    // Assess
    expect(matched).toBe(expected);
  });

  // "The ForAllValues set operator also returns true if there are no context keys in the request."
  it('ForAllValues is true for a missing key or an empty set, and needs every value to match', () => {
    // Prepare
    const allowed = ['environment', 'cost-center'];

    // Act
    const missing = evaluate('ForAllValues:StringEquals', 'aws:TagKeys', allowed, {});
    const empty = evaluate('ForAllValues:StringEquals', 'aws:TagKeys', allowed, { 'aws:TagKeys': [] });
    const subset = evaluate('ForAllValues:StringEquals', 'aws:TagKeys', allowed, {
      'aws:TagKeys': ['environment'],
    });
    const extra = evaluate('ForAllValues:StringEquals', 'aws:TagKeys', allowed, {
      'aws:TagKeys': ['environment', 'owner'],
    });

    // Assess
    expect(missing).toBe(true);
    expect(empty).toBe(true);
    expect(subset).toBe(true);
    expect(extra).toBe(false);
  });

  // ForAnyValue: at least one value of the request must match one value of the policy; it is false when the
  // request has no such key.
  it.each<[string, string[] | undefined, boolean]>([
    ['environment', ['environment'], true],
    ['webserver and owner', ['webserver', 'owner'], true],
    ['owner', ['owner'], false],
    ['an empty set', [], false],
    ['no aws:TagKeys', undefined, false],
  ])('ForAnyValue:StringEquals environment|webserver with %s matches: %s', (_label, tagKeys, expected) => {
    // Prepare
    const context: Record<string, ContextValue> = tagKeys ? { 'aws:TagKeys': tagKeys } : {};

    // Act
    const matched = evaluate(
      'ForAnyValue:StringEquals',
      'aws:TagKeys',
      ['environment', 'webserver'],
      context,
    );

    // Assess
    expect(matched).toBe(expected);
  });

  it('ForAnyValue with a negated operator needs one value that matches none of the policy values', () => {
    // Prepare
    const policyValues = ['environment', 'webserver'];

    // Act
    const oneOther = evaluate('ForAnyValue:StringNotEquals', 'aws:TagKeys', policyValues, {
      'aws:TagKeys': ['environment', 'owner'],
    });
    const noOther = evaluate('ForAnyValue:StringNotEquals', 'aws:TagKeys', policyValues, {
      'aws:TagKeys': ['environment', 'webserver'],
    });

    // Assess
    expect(oneOther).toBe(true);
    expect(noOther).toBe(false);
  });
});

describe('unknown operators', () => {
  it('never match, and isKnownOperator tells them apart from the documented ones', () => {
    // Prepare
    const context = { 'aws:username': 'David' };

    // Act
    const matched = evaluate('StringEqualz', 'aws:username', 'David', context);
    const known = ['ForAnyValue:StringLike', 'ForAllValues:ArnNotLikeIfExists', 'BoolIfExists', 'Null'].map(
      isKnownOperator,
    );

    // Assess
    expect(matched).toBe(false);
    expect(known).toEqual([true, true, true, true]);
    expect(isKnownOperator('StringEqualz')).toBe(false);
  });

  // "You can add IfExists to the end of any condition operator name except the Null condition."
  it('do not include NullIfExists', () => {
    // Prepare
    const operator = 'NullIfExists';

    // Act
    const known = isKnownOperator(operator);

    // Assess
    expect(known).toBe(false);
  });
});
