import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-split.html
const ctx = createTestContext({ exports: { 'network-SubnetIds': 'subnet-1,subnet-2' } });

describe('Fn::Split', () => {
  it('splits a string at the delimiter', () => {
    expect(resolveValue({ 'Fn::Split': ['|', 'a|b|c'] }, ctx, {})).toEqual(['a', 'b', 'c']);
  });

  // The reference's own example: !Split ["|", "a||c|"] gives ["a", "", "c", ""].
  it('keeps empty members', () => {
    expect(resolveValue({ 'Fn::Split': ['|', 'a||c|'] }, ctx, {})).toEqual(['a', '', 'c', '']);
  });

  it('splits the value of another function', () => {
    expect(resolveValue({ 'Fn::Split': [',', { 'Fn::ImportValue': 'network-SubnetIds' }] }, ctx, {})).toEqual(
      ['subnet-1', 'subnet-2'],
    );
  });

  it('refuses a source that is not a string', () => {
    expect(() => resolveValue({ 'Fn::Split': [',', ['a']] }, ctx, {})).toThrow(
      'Fn::Split expects a string, got ["a"] (at $.Fn::Split[1])',
    );
  });
});
