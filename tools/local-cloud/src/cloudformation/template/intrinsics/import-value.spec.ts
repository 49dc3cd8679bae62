import { MissingExportError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';
import type { CloudFormationTemplate } from '../types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html
const TEMPLATE: CloudFormationTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'local' } },
  Resources: {},
};
const ctx = createTestContext({
  exports: {
    'sls-customer-service-local-ServiceEndpoint': 'https://cust42.execute-api.eu-west-1.amazonaws.com/local',
  },
});

describe('Fn::ImportValue', () => {
  it("gives another stack's export", () => {
    expect(
      resolveValue({ 'Fn::ImportValue': 'sls-customer-service-local-ServiceEndpoint' }, ctx, {}, TEMPLATE),
    ).toBe('https://cust42.execute-api.eu-west-1.amazonaws.com/local');
  });

  it('resolves an export name built with Fn::Sub', () => {
    expect(
      resolveValue(
        { 'Fn::ImportValue': { 'Fn::Sub': 'sls-customer-service-${Stage}-ServiceEndpoint' } },
        ctx,
        {},
        TEMPLATE,
      ),
    ).toBe('https://cust42.execute-api.eu-west-1.amazonaws.com/local');
  });

  // CloudFormation's own message, as users report it, e.g.
  // https://github.com/aws-cloudformation/aws-cloudformation-templates/issues/263
  it('says "No export named X found" for a missing export, with the path', () => {
    // Act
    const act = () =>
      resolveValue(
        { 'Fn::ImportValue': 'customer-service-local-RestApiId' },
        ctx,
        {},
        TEMPLATE,
        'Resources.Role',
      );

    // Assess
    expect(act).toThrow(MissingExportError);
    expect(act).toThrow(
      'No export named customer-service-local-RestApiId found (at Resources.Role.Fn::ImportValue)',
    );
  });
});
