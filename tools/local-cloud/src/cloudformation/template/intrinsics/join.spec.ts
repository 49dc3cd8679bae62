import { InvalidFunctionArgumentError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-join.html
const ctx = createTestContext({ resources: { Api: { physicalId: 'abc123' } } });

describe('Fn::Join', () => {
  it('joins resolved values with the delimiter', () => {
    // Prepare
    const value = { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'execute-api', { Ref: 'Api' }]] };

    // Act
    const joined = resolveValue(value, ctx, {});

    // Assess
    expect(joined).toBe('arn:aws:execute-api:abc123');
  });

  it('joins a list produced by another function', () => {
    expect(resolveValue({ 'Fn::Join': ['+', { 'Fn::Split': [',', 'a,b,c'] }] }, ctx, {})).toBe('a+b+c');
  });

  it('skips elements that are AWS::NoValue and writes numbers as text', () => {
    expect(resolveValue({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::NoValue' }, 7]] }, ctx, {})).toBe('a-7');
  });

  it('gives an empty string for an empty list', () => {
    expect(resolveValue({ 'Fn::Join': [',', []] }, ctx, {})).toBe('');
  });

  it('refuses an argument that is not [delimiter, list]', () => {
    expect(() => resolveValue({ 'Fn::Join': ['a', 'b'] }, ctx, {})).toThrow(
      new InvalidFunctionArgumentError('Fn::Join', 'expects a list, got "b"', '$.Fn::Join[1]'),
    );
    expect(() => resolveValue({ 'Fn::Join': [['a']] }, ctx, {})).toThrow(
      'Fn::Join expects [delimiter, list]',
    );
  });

  it('refuses an element that is not a string, pointing at it', () => {
    expect(() => resolveValue({ 'Fn::Join': ['', ['a', { b: 1 }]] }, ctx, {})).toThrow(
      'Fn::Join expects a string, got {"b":1} (at $.Fn::Join[1][1])',
    );
  });
});
