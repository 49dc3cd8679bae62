import { ConditionError, TemplateError } from './errors';
import { resolveOutputs } from './resolve-outputs';
import { createTestContext } from './testing/test-context';
import type { CloudFormationTemplate } from './types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
const ctx = createTestContext({
  resources: {
    Api: { physicalId: 'abc123' },
    Table: {
      physicalId: 'orders',
      attributes: { Arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders' },
    },
  },
});
const TEMPLATE: CloudFormationTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'local' } },
  Conditions: { IsProd: false },
  Resources: { Api: { Type: 'AWS::ApiGateway::RestApi' }, Table: { Type: 'AWS::DynamoDB::Table' } },
  Outputs: {
    TableArn: {
      Description: 'Orders table',
      Value: { 'Fn::GetAtt': ['Table', 'Arn'] },
      Export: { Name: { 'Fn::Sub': '${AWS::StackName}-TableArn' } },
    },
    RestApiId: {
      Value: { Ref: 'Api' },
      Export: { Name: { 'Fn::Join': ['-', ['order-service', { Ref: 'Stage' }, 'RestApiId']] } },
    },
    TableName: { Value: { Ref: 'Table' } },
    AlarmTopic: { Condition: 'IsProd', Value: { Ref: 'Topic' } },
  },
};

describe('resolveOutputs', () => {
  it('resolves values and export names built with Fn::Sub and Fn::Join, in template order', () => {
    // Act
    const outputs = resolveOutputs(TEMPLATE, ctx, { IsProd: false });

    // Assess
    expect(outputs).toEqual([
      {
        key: 'TableArn',
        value: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
        description: 'Orders table',
        exportName: 'order-service-local-TableArn',
      },
      { key: 'RestApiId', value: 'abc123', exportName: 'order-service-local-RestApiId' },
      { key: 'TableName', value: 'orders' },
    ]);
  });

  it('includes an output whose Condition is true', () => {
    // Prepare
    const withTopic = createTestContext({
      resources: { Topic: { physicalId: 'arn:aws:sns:eu-west-1:1:alarms' } },
    });
    const template: CloudFormationTemplate = {
      ...TEMPLATE,
      Outputs: { AlarmTopic: TEMPLATE.Outputs?.['AlarmTopic'] as never },
    };

    // Act
    const outputs = resolveOutputs(template, withTopic, { IsProd: true });

    // Assess
    expect(outputs).toEqual([{ key: 'AlarmTopic', value: 'arn:aws:sns:eu-west-1:1:alarms' }]);
  });

  it('gives an empty list for a template without Outputs', () => {
    expect(resolveOutputs({ Resources: {} }, ctx, {})).toEqual([]);
  });

  it('refuses an output Condition that was not evaluated', () => {
    expect(() => resolveOutputs(TEMPLATE, ctx, {})).toThrow(ConditionError);
  });

  it('refuses a value that is not a string, with its path', () => {
    // Prepare
    const template: CloudFormationTemplate = {
      Resources: {},
      Outputs: { Zones: { Value: { 'Fn::GetAZs': '' } } },
    };

    // Act
    const act = () => resolveOutputs(template, ctx, {});

    // Assess
    expect(act).toThrow(TemplateError);
    expect(act).toThrow(
      'Output Zones must resolve to a string, got ["eu-west-1a","eu-west-1b","eu-west-1c"] (at Outputs.Zones.Value)',
    );
  });

  it('refuses an export name that is AWS::NoValue', () => {
    const template: CloudFormationTemplate = {
      Resources: {},
      Outputs: { A: { Value: 'a', Export: { Name: { Ref: 'AWS::NoValue' } } } },
    };
    expect(() => resolveOutputs(template, ctx, {})).toThrow(
      'Export name of A must resolve to a string, got AWS::NoValue (at Outputs.A.Export.Name)',
    );
  });

  it('refuses two outputs exporting the same name', () => {
    const template: CloudFormationTemplate = {
      Resources: {},
      Outputs: {
        A: { Value: 'a', Export: { Name: 'shared' } },
        B: { Value: 'b', Export: { Name: 'shared' } },
      },
    };
    expect(() => resolveOutputs(template, ctx, {})).toThrow(
      'Outputs A and B both export shared (at Outputs.B)',
    );
  });

  it('names the output whose value refers to a resource that is not created', () => {
    expect(() => resolveOutputs(TEMPLATE, createTestContext(), { IsProd: false })).toThrow(
      'Fn::GetAtt: Resource Table is not created yet (at Outputs.TableArn.Value.Fn::GetAtt)',
    );
  });
});
