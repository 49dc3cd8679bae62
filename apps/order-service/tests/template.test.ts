import path from 'node:path';
import {
  actionsOf,
  cfnLint,
  cfnText,
  readPackagedTemplate,
  resourcesOfType,
  roleStatements,
} from '@sigv4-auth/testing';

// The packaged CloudFormation (`serverless package`, run by `nx test` first): what AWS would deploy.
const template = readPackagedTemplate(path.resolve(__dirname, '..'));

describe('order-service packaged template', () => {
  it('may invoke exactly GET /customers/* of the imported customer-service API and stage, nothing else', () => {
    // Act
    const invokes = roleStatements(template).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('execute-api:')),
    );

    // Assess: no wildcard in the API id, stage or method; the id comes from customer-service's export.
    expect(invokes).toHaveLength(1);
    expect(invokes[0]).toMatchObject({ Effect: 'Allow', Action: ['execute-api:Invoke'] });
    expect(cfnText(invokes[0]?.Resource)).toBe(
      'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Import:customer-service-dev-RestApiId}/dev/GET/customers/*',
    );
  });

  it('reads CUSTOMER_API_URL from customer-service’s exported ServiceEndpoint', () => {
    // Act
    const createOrder = template.Resources.CreateOrderLambdaFunction?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };

    // Assess
    expect(cfnText(createOrder.Environment.Variables.CUSTOMER_API_URL)).toBe(
      '${Import:sls-customer-service-dev-ServiceEndpoint}',
    );
  });

  it('protects its own methods with AWS_IAM', () => {
    // Act
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method');

    // Assess
    expect(methods).toHaveLength(2);
    for (const [name, method] of methods) {
      expect([name, method.Properties?.AuthorizationType]).toEqual([name, 'AWS_IAM']);
    }
  });

  it('passes cfn-lint', () => {
    // Act
    const lint = cfnLint([template.file]);

    // Assess
    expect(lint).toMatchObject({ available: true, status: 0 });
  });
});
