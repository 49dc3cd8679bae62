import { InvalidFunctionArgumentError, UnresolvedReferenceError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';
import type { CloudFormationTemplate } from '../types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html
const TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders';
const TEMPLATE: CloudFormationTemplate = {
  Parameters: { AttributeName: { Type: 'String', Default: 'Arn' } },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table' },
    Db: { Type: 'AWS::RDS::DBInstance' },
    Role: { Type: 'AWS::IAM::Role' },
  },
};
const ctx = createTestContext({
  resources: {
    Table: { physicalId: 'orders', attributes: { Arn: TABLE_ARN } },
    Db: { physicalId: 'db-1', attributes: { 'Endpoint.Address': 'db.local', 'Endpoint.Port': 5432 } },
  },
});

describe('Fn::GetAtt', () => {
  it('reads the list form', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['Table', 'Arn'] }, ctx, {}, TEMPLATE)).toBe(TABLE_ARN);
  });

  it('reads the "Logical.Attribute" string form, keeping dotted attribute names whole', () => {
    expect(resolveValue({ 'Fn::GetAtt': 'Db.Endpoint.Address' }, ctx, {}, TEMPLATE)).toBe('db.local');
  });

  it('resolves a Ref in the attribute name of the list form', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['Table', { Ref: 'AttributeName' }] }, ctx, {}, TEMPLATE)).toBe(
      TABLE_ARN,
    );
  });

  it('keeps non-string attribute values as they are', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['Db', 'Endpoint.Port'] }, ctx, {}, TEMPLATE)).toBe(5432);
  });

  it('says the resource is not created yet, naming it and the path', () => {
    // Act
    const act = () =>
      resolveValue({ 'Fn::GetAtt': ['Role', 'Arn'] }, ctx, {}, TEMPLATE, 'Resources.Fn.Properties.Role');

    // Assess
    expect(act).toThrow(UnresolvedReferenceError);
    expect(act).toThrow(
      'Fn::GetAtt: Resource Role is not created yet (at Resources.Fn.Properties.Role.Fn::GetAtt)',
    );
  });

  it('says which attribute a created resource lacks', () => {
    expect(() => resolveValue({ 'Fn::GetAtt': 'Table.StreamArn' }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::GetAtt: resource Table (AWS::DynamoDB::Table) has no attribute StreamArn',
    );
  });

  it.each([['Table'], ['Table.'], [['Table']], [[{ Ref: 'Table' }, 'Arn']]])(
    'refuses the malformed argument %j',
    (argument) => {
      expect(() => resolveValue({ 'Fn::GetAtt': argument }, ctx, {}, TEMPLATE)).toThrow(
        InvalidFunctionArgumentError,
      );
    },
  );
});
