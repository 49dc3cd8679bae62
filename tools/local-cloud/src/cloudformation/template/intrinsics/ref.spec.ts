import { InvalidFunctionArgumentError, UnresolvedReferenceError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext, TEST_ACCOUNT_ID, TEST_REGION } from '../testing/test-context';
import type { CloudFormationTemplate } from '../types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-ref.html
const TEMPLATE: CloudFormationTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'local' } },
  Conditions: { IsProd: false },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table' },
    Queue: { Type: 'AWS::SQS::Queue' },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Condition: 'IsProd' },
  },
};
const ctx = createTestContext({ resources: { Table: { physicalId: 'order-service-local-orders' } } });

describe('Ref', () => {
  it('gives the physical id of a created resource', () => {
    expect(resolveValue({ Ref: 'Table' }, ctx, {}, TEMPLATE)).toBe('order-service-local-orders');
  });

  it('gives pseudo parameters', () => {
    expect(resolveValue([{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }], ctx, {})).toEqual([
      TEST_ACCOUNT_ID,
      TEST_REGION,
    ]);
  });

  it('gives a parameter its Default when no value is given', () => {
    expect(resolveValue({ Ref: 'Stage' }, ctx, {}, TEMPLATE)).toBe('local');
  });

  it('gives a parameter the value the context gives', () => {
    const withStage = createTestContext({ parameters: { Stage: 'prod' } });
    expect(resolveValue({ Ref: 'Stage' }, withStage, {}, TEMPLATE)).toBe('prod');
  });

  it('says a declared resource is not created yet, naming it and the path', () => {
    // Act
    const act = () =>
      resolveValue({ QueueUrl: { Ref: 'Queue' } }, ctx, {}, TEMPLATE, 'Resources.Fn.Properties');

    // Assess
    expect(act).toThrow(UnresolvedReferenceError);
    expect(act).toThrow('Ref: Resource Queue is not created yet (at Resources.Fn.Properties.QueueUrl.Ref)');
  });

  it('says a resource is not created because its condition is false', () => {
    expect(() => resolveValue({ Ref: 'Alarm' }, ctx, { IsProd: false }, TEMPLATE)).toThrow(
      'Ref: Resource Alarm is not created: its condition IsProd is false',
    );
  });

  it('says an unknown name is neither a parameter nor a resource', () => {
    expect(() => resolveValue({ Ref: 'Tabel' }, ctx, {}, TEMPLATE)).toThrow(
      'Ref: Tabel is not a parameter or a resource of this template (at $.Ref)',
    );
  });

  it('without the template, says the name is not a parameter or a created resource', () => {
    expect(() => resolveValue({ Ref: 'Queue' }, ctx, {})).toThrow(
      'Ref: Queue is not a parameter or a created resource',
    );
  });

  it('refuses a Ref whose argument is not a name', () => {
    expect(() => resolveValue({ Ref: ['Table'] }, ctx, {})).toThrow(InvalidFunctionArgumentError);
  });
});
