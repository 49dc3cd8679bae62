import type { ContextValue } from './types';
import { substituteVariables } from './variables';
import { LITERAL_ASTERISK, LITERAL_QUESTION_MARK } from './wildcard';

const lookupOf =
  (values: Record<string, ContextValue>) =>
  (key: string): ContextValue | undefined =>
    values[key];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
describe('substituteVariables', () => {
  it('returns text without variables unchanged', () => {
    // Prepare
    const text = 'arn:aws:s3:::mybucket/David/*';

    // Act
    const result = substituteVariables(text, lookupOf({}));

    // Assess
    expect(result).toBe(text);
  });

  it("replaces ${aws:username} with the user's friendly name, as in the home-directory example", () => {
    // Prepare
    const lookup = lookupOf({ 'aws:username': 'David' });

    // Act
    const result = substituteVariables('arn:aws:s3:::mybucket/${aws:username}/*', lookup);

    // Assess
    expect(result).toBe('arn:aws:s3:::mybucket/David/*');
  });

  it('replaces every variable of a string, tags included', () => {
    // Prepare
    const lookup = lookupOf({ 'aws:username': 'David', 'aws:PrincipalTag/department': 'hr' });

    // Act
    const result = substituteVariables(
      'arn:aws:s3:::bucket/${aws:PrincipalTag/department}/${aws:username}',
      lookup,
    );

    // Assess
    expect(result).toBe('arn:aws:s3:::bucket/hr/David');
  });

  it('writes numbers and booleans of the request context as text', () => {
    // Prepare
    const lookup = lookupOf({ 's3:max-keys': 10, 'aws:SecureTransport': true });

    // Act
    const result = substituteVariables('${s3:max-keys}-${aws:SecureTransport}', lookup);

    // Assess
    expect(result).toBe('10-true');
  });

  // "not present means that the value is not in the current request information, and any attempt to match it
  // fails and causes the statement to be invalid."
  it('gives undefined when a variable has no value and no default, so the value matches nothing', () => {
    // Prepare
    const lookup = lookupOf({});

    // Act
    const result = substituteVariables('arn:aws:s3:::mybucket/${aws:username}/*', lookup);

    // Assess
    expect(result).toBeUndefined();
  });

  // "To add a default value to a variable, surround the default value with single quotes (' '), and separate the
  // variable text and the default value with a comma and space (, )."
  it("uses the default value of ${aws:userid, 'anonymous'} only when the key has no value", () => {
    // Prepare
    const text = "arn:aws:s3:::bucket/${aws:userid, 'anonymous'}";

    // Act
    const withoutValue = substituteVariables(text, lookupOf({}));
    const withValue = substituteVariables(text, lookupOf({ 'aws:userid': 'AIDAJQABLZS4A3QDU576Q' }));

    // Assess
    expect(withoutValue).toBe('arn:aws:s3:::bucket/anonymous');
    expect(withValue).toBe('arn:aws:s3:::bucket/AIDAJQABLZS4A3QDU576Q');
  });

  // "You can use any available single-valued context key as a policy variable. You cannot use a multivalued
  // context key as a policy variable."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  it('does not substitute a multivalued context key', () => {
    // Prepare
    const lookup = lookupOf({ 'aws:TagKeys': ['environment', 'cost-center'] });

    // Act
    const result = substituteVariables('tags/${aws:TagKeys}', lookup);

    // Assess
    expect(result).toBeUndefined();
  });

  // "${*} - use where you need an * (asterisk) character. ${?} - ... a ? (question mark) character. ${$} - ...
  // a $ (dollar sign) character."
  it('turns the ${*}, ${?} and ${$} escapes into the characters themselves for exact comparisons', () => {
    // Prepare
    const lookup = lookupOf({});

    // Act
    const result = substituteVariables('price${$}10 ${*} why${?}', lookup);

    // Assess
    expect(result).toBe('price$10 * why?');
  });

  it('keeps ${*} and ${?} apart from wildcards when the result is a wildcard pattern', () => {
    // Prepare
    const lookup = lookupOf({});

    // Act
    const pattern = substituteVariables('a${*}b${?}c*d?', lookup, true);

    // Assess
    expect(pattern).toBe(`a${LITERAL_ASTERISK}b${LITERAL_QUESTION_MARK}c*d?`);
  });
});
