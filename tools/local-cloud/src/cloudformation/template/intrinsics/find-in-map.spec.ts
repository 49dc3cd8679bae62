import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';
import type { CloudFormationTemplate } from '../types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-findinmap.html
const TEMPLATE: CloudFormationTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'local' } },
  Mappings: {
    StageConfig: {
      local: { MemorySize: 256, Origins: ['http://localhost:3000'] },
      prod: { MemorySize: 1024, Origins: ['https://example.com'] },
    },
    RegionMap: { 'eu-west-1': { Ami: 'ami-eu' } },
  },
  Resources: {},
};
const ctx = createTestContext();

describe('Fn::FindInMap', () => {
  it('looks a value up with literal keys', () => {
    expect(resolveValue({ 'Fn::FindInMap': ['StageConfig', 'prod', 'MemorySize'] }, ctx, {}, TEMPLATE)).toBe(
      1024,
    );
  });

  it('resolves keys given by Ref, including pseudo parameters', () => {
    // Prepare
    const value = {
      MemorySize: { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'MemorySize'] },
      ImageId: { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Ami'] },
    };

    // Act
    const resolved = resolveValue(value, ctx, {}, TEMPLATE);

    // Assess
    expect(resolved).toEqual({ MemorySize: 256, ImageId: 'ami-eu' });
  });

  it('gives list values as copies, so the template cannot be changed through them', () => {
    // Act
    const origins = resolveValue(
      { 'Fn::FindInMap': ['StageConfig', 'local', 'Origins'] },
      ctx,
      {},
      TEMPLATE,
    ) as string[];
    origins.push('http://evil.example');

    // Assess
    expect(TEMPLATE.Mappings?.['StageConfig']?.['local']?.['Origins']).toEqual(['http://localhost:3000']);
  });

  it('names the mapping and keys that are missing', () => {
    expect(() =>
      resolveValue({ 'Fn::FindInMap': ['StageConfig', 'dev', 'MemorySize'] }, ctx, {}, TEMPLATE),
    ).toThrow('Fn::FindInMap: mapping StageConfig has no value for [dev, MemorySize] (at $.Fn::FindInMap)');
    expect(() => resolveValue({ 'Fn::FindInMap': ['Nope', 'a', 'b'] }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::FindInMap: the template has no mapping Nope',
    );
  });

  it('finds nothing without the template', () => {
    expect(() => resolveValue({ 'Fn::FindInMap': ['StageConfig', 'prod', 'MemorySize'] }, ctx, {})).toThrow(
      'the template has no mapping StageConfig',
    );
  });

  it('refuses arguments that are not three keys', () => {
    expect(() => resolveValue({ 'Fn::FindInMap': ['StageConfig', 'prod'] }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::FindInMap expects [MapName, TopLevelKey, SecondLevelKey]',
    );
  });
});
