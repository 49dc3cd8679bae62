import { ConditionError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if
const ctx = createTestContext({ resources: { Bucket: { physicalId: 'logs-bucket' } } });

describe('Fn::If', () => {
  it('gives the first value when the condition is true', () => {
    expect(resolveValue({ 'Fn::If': ['IsProd', 512, 128] }, ctx, { IsProd: true })).toBe(512);
  });

  it('gives the second value when the condition is false', () => {
    expect(resolveValue({ 'Fn::If': ['IsProd', 512, 128] }, ctx, { IsProd: false })).toBe(128);
  });

  it('does not resolve the branch it does not take', () => {
    // Prepare: the true branch refers to a resource that was never created.
    const value = { 'Fn::If': ['HasAlarm', { Ref: 'Alarm' }, { Ref: 'Bucket' }] };

    // Act
    const resolved = resolveValue(value, ctx, { HasAlarm: false });

    // Assess
    expect(resolved).toBe('logs-bucket');
  });

  it('nests', () => {
    const value = { 'Fn::If': ['IsProd', 'prod', { 'Fn::If': ['IsStaging', 'staging', 'dev'] }] };
    expect(resolveValue(value, ctx, { IsProd: false, IsStaging: true })).toBe('staging');
  });

  it('refuses a condition the Conditions section does not define', () => {
    // Act
    const act = () => resolveValue({ 'Fn::If': ['IsProdd', 1, 2] }, ctx, { IsProd: true });

    // Assess
    expect(act).toThrow(ConditionError);
    expect(act).toThrow('Condition IsProdd is not defined in Conditions (at $.Fn::If[0])');
  });

  it('refuses arguments that are not [condition, valueIfTrue, valueIfFalse]', () => {
    expect(() => resolveValue({ 'Fn::If': ['IsProd', 1] }, ctx, { IsProd: true })).toThrow(
      'Fn::If expects [condition, valueIfTrue, valueIfFalse], got ["IsProd",1]',
    );
  });
});
