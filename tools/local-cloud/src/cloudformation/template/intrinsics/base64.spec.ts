import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-base64.html
const ctx = createTestContext();

describe('Fn::Base64', () => {
  it('encodes the UTF-8 bytes of a string', () => {
    expect(resolveValue({ 'Fn::Base64': 'AWS CloudFormation' }, ctx, {})).toBe('QVdTIENsb3VkRm9ybWF0aW9u');
    expect(resolveValue({ 'Fn::Base64': 'é' }, ctx, {})).toBe('w6k=');
  });

  it('encodes the result of another function', () => {
    expect(resolveValue({ 'Fn::Base64': { 'Fn::Sub': 'region=${AWS::Region}' } }, ctx, {})).toBe(
      Buffer.from('region=eu-west-1').toString('base64'),
    );
  });

  it('refuses a value that is not a string', () => {
    expect(() => resolveValue({ 'Fn::Base64': { a: 1 } }, ctx, {})).toThrow('Fn::Base64 expects a string');
  });
});
