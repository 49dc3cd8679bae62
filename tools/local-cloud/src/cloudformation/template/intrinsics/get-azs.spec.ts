import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html
const ctx = createTestContext();

describe('Fn::GetAZs', () => {
  it("gives the stack region's zones a, b and c for an empty region", () => {
    expect(resolveValue({ 'Fn::GetAZs': '' }, ctx, {})).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('accepts Ref AWS::Region and other regions', () => {
    expect(resolveValue({ 'Fn::GetAZs': { Ref: 'AWS::Region' } }, ctx, {})).toEqual([
      'eu-west-1a',
      'eu-west-1b',
      'eu-west-1c',
    ]);
    expect(resolveValue({ 'Fn::GetAZs': 'us-east-1' }, ctx, {})).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
    ]);
  });

  it('refuses a region that is not a string', () => {
    expect(() => resolveValue({ 'Fn::GetAZs': ['eu-west-1'] }, ctx, {})).toThrow(
      'Fn::GetAZs expects a string',
    );
  });
});
