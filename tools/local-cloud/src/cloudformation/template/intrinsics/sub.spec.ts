import { InvalidFunctionArgumentError, UnresolvedReferenceError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';
import type { CloudFormationTemplate } from '../types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
const TEMPLATE: CloudFormationTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'local' },
    Subnets: { Type: 'CommaDelimitedList', Default: 'a,b' },
  },
  Resources: { Api: { Type: 'AWS::ApiGateway::RestApi' }, Table: { Type: 'AWS::DynamoDB::Table' } },
};
const ctx = createTestContext({
  resources: {
    Api: { physicalId: 'abc123', attributes: { RootResourceId: 'root1' } },
    Table: {
      physicalId: 'orders',
      attributes: { Arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders' },
    },
  },
  exports: { 'customer-service-local-RestApiId': 'cust42' },
});

describe('Fn::Sub', () => {
  it('substitutes pseudo parameters, parameters and resources in the string form', () => {
    // Prepare
    const value = {
      'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${Stage}/*',
    };

    // Act
    const resolved = resolveValue(value, ctx, {}, TEMPLATE);

    // Assess
    expect(resolved).toBe('arn:aws:execute-api:eu-west-1:123456789012:abc123/local/*');
  });

  it('substitutes ${Logical.Attribute} with the resource attribute', () => {
    expect(resolveValue({ 'Fn::Sub': '${Table.Arn}/index/*' }, ctx, {}, TEMPLATE)).toBe(
      'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/*',
    );
  });

  it('writes ${!Literal} as ${Literal} without resolving it', () => {
    expect(
      resolveValue({ 'Fn::Sub': 'echo ${!Stage} is ${Stage}; ${!AWS::Region}' }, ctx, {}, TEMPLATE),
    ).toBe('echo ${Stage} is local; ${AWS::Region}');
  });

  it('substitutes variables of the map form, whose values may be functions', () => {
    // Prepare
    const value = {
      'Fn::Sub': [
        'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}/${Stage}/GET/customers/*',
        { ApiId: { 'Fn::ImportValue': 'customer-service-local-RestApiId' } },
      ],
    };

    // Act
    const resolved = resolveValue(value, ctx, {}, TEMPLATE);

    // Assess
    expect(resolved).toBe('arn:aws:execute-api:eu-west-1:123456789012:cust42/local/GET/customers/*');
  });

  it('lets a map variable shadow a resource or parameter of the same name', () => {
    expect(
      resolveValue({ 'Fn::Sub': ['${Api}-${Stage}', { Api: 'mine', Stage: 'prod' }] }, ctx, {}, TEMPLATE),
    ).toBe('mine-prod');
  });

  it('leaves a string without placeholders as it is', () => {
    expect(resolveValue({ 'Fn::Sub': 'plain $ text {}' }, ctx, {}, TEMPLATE)).toBe('plain $ text {}');
  });

  it('names a placeholder resource that is not created yet', () => {
    // Prepare
    const notYet = createTestContext();

    // Act
    const act = () => resolveValue({ 'Fn::Sub': '${Api}' }, notYet, {}, TEMPLATE, 'Outputs.Url.Value');

    // Assess
    expect(act).toThrow(UnresolvedReferenceError);
    expect(act).toThrow('Ref: Resource Api is not created yet (at Outputs.Url.Value.Fn::Sub)');
  });

  it('names an unknown placeholder', () => {
    expect(() => resolveValue({ 'Fn::Sub': '${Nope}' }, ctx, {}, TEMPLATE)).toThrow(
      'Nope is not a parameter or a resource of this template',
    );
  });

  it('refuses a list parameter in a placeholder, which has no single text', () => {
    expect(() => resolveValue({ 'Fn::Sub': '${Subnets}' }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::Sub expects a string, got ["a","b"]',
    );
  });

  it('refuses an empty placeholder and malformed arguments', () => {
    expect(() => resolveValue({ 'Fn::Sub': 'a${}b' }, ctx, {}, TEMPLATE)).toThrow(
      InvalidFunctionArgumentError,
    );
    expect(() => resolveValue({ 'Fn::Sub': [{ Ref: 'Stage' }, {}] }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::Sub expects a literal string to substitute into (at $.Fn::Sub[0])',
    );
    expect(() => resolveValue({ 'Fn::Sub': ['${A}', ['x']] }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::Sub expects an object of variables (at $.Fn::Sub[1])',
    );
    expect(() => resolveValue({ 'Fn::Sub': ['${A}'] }, ctx, {}, TEMPLATE)).toThrow(
      'Fn::Sub expects [string, variables]',
    );
  });
});
