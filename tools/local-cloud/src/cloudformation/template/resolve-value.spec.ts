import { TemplateError, UnsupportedFunctionError } from './errors';
import { resolveValue } from './resolve-value';
import { createTestContext } from './testing/test-context';

const ctx = createTestContext({ resources: { Table: { physicalId: 'orders' } } });
const NO_VALUE_REF = { Ref: 'AWS::NoValue' };

describe('resolveValue', () => {
  it('returns literals and plain structures unchanged, as new objects', () => {
    // Prepare
    const value = {
      TableName: 'orders',
      Ttl: { Enabled: false, Days: 7 },
      Tags: [{ Key: 'a', Value: null }],
    };

    // Act
    const resolved = resolveValue(value, ctx, {});

    // Assess
    expect(resolved).toEqual(value);
    expect(resolved).not.toBe(value);
  });

  it('resolves functions at any depth', () => {
    expect(resolveValue({ A: [{ B: { Ref: 'Table' } }] }, ctx, {})).toEqual({ A: [{ B: 'orders' }] });
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html#cfn-pseudo-param-novalue
  it('removes a property whose value is Ref AWS::NoValue', () => {
    expect(resolveValue({ Name: 'x', ReservedConcurrency: NO_VALUE_REF }, ctx, {})).toEqual({ Name: 'x' });
  });

  it('removes list elements that are Ref AWS::NoValue, keeping the others in order', () => {
    expect(resolveValue(['a', NO_VALUE_REF, 'b', NO_VALUE_REF], ctx, {})).toEqual(['a', 'b']);
  });

  it('removes a property whose Fn::If chose AWS::NoValue', () => {
    // Prepare
    const value = { VpcConfig: { 'Fn::If': ['InVpc', { SubnetIds: ['s-1'] }, NO_VALUE_REF] }, Handler: 'h' };

    // Act
    const resolved = resolveValue(value, ctx, { InVpc: false });

    // Assess
    expect(resolved).toEqual({ Handler: 'h' });
  });

  it('gives undefined when the whole value is AWS::NoValue', () => {
    expect(resolveValue(NO_VALUE_REF, ctx, {})).toBeUndefined();
  });

  it('treats a one-key object that is not a function as data, even one named Condition', () => {
    // IAM statements carry a Condition key; outside the Conditions section it is not a reference.
    expect(resolveValue({ Condition: { Bool: { 'aws:SecureTransport': false } } }, ctx, {})).toEqual({
      Condition: { Bool: { 'aws:SecureTransport': false } },
    });
  });

  it('refuses an unknown Fn::* by name, with the path where it is', () => {
    // Prepare
    const value = { Properties: { CidrBlock: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] } } };

    // Act
    const act = () => resolveValue(value, ctx, {}, undefined, 'Resources.Vpc');

    // Assess
    expect(act).toThrow(UnsupportedFunctionError);
    expect(act).toThrow('Unsupported intrinsic function Fn::Cidr (at Resources.Vpc.Properties.CidrBlock)');
  });

  it('reports errors inside functions with the path through them', () => {
    // Prepare
    const value = { Names: [{ 'Fn::Join': ['-', ['a', { Ref: 'Missing' }]] }] };

    // Act
    const act = () => resolveValue(value, ctx, {});

    // Assess
    expect(act).toThrow(TemplateError);
    expect(act).toThrow('(at $.Names[0].Fn::Join[1][1].Ref)');
  });
});
