import path from 'node:path';
import {
  actionsOf,
  cfnLint,
  cfnText,
  readPackagedTemplate,
  resourcesOfType,
  roleStatements,
  type CfnResource,
  type IamStatement,
} from '@sigv4-auth/testing';

// The packaged CloudFormation (`serverless package`, run by `nx test` first): what AWS would deploy.
const template = readPackagedTemplate(path.resolve(__dirname, '..'));

describe('customer-service packaged template', () => {
  it('protects every API method with AWS_IAM', () => {
    // Act
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method');

    // Assess
    expect(methods.map(([, method]) => method.Properties?.HttpMethod).sort()).toEqual([
      'GET',
      'GET',
      'POST',
      'PUT',
    ]);
    for (const [name, method] of methods) {
      expect([name, method.Properties?.AuthorizationType]).toEqual([name, 'AWS_IAM']);
    }
  });

  it('has a resource policy that denies every principal outside the account', () => {
    // Act
    const [[, api]] = resourcesOfType(template, 'AWS::ApiGateway::RestApi') as [[string, CfnResource]];
    const policy = api.Properties?.Policy as { Statement: IamStatement[] };

    // Assess
    expect(policy.Statement).toEqual([
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['execute-api:Invoke'],
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('exports the RestApi id and the ServiceEndpoint for order-service', () => {
    // Act
    const exports = Object.fromEntries(
      Object.values(template.Outputs)
        .filter((output) => output.Export)
        .map((output) => [cfnText(output.Export?.Name), cfnText(output.Value)]),
    );

    // Assess
    expect(exports).toMatchObject({
      'customer-service-dev-RestApiId': '${ApiGatewayRestApi}',
      'sls-customer-service-dev-ServiceEndpoint':
        'https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev',
    });
  });

  it('keeps customers in an on-demand table named with the stage, readable and writable only by item', () => {
    // Act
    const [[, table]] = resourcesOfType(template, 'AWS::DynamoDB::Table') as [[string, CfnResource]];
    const dynamodbActions = roleStatements(template)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('dynamodb:'));

    // Assess
    expect(table.Properties).toMatchObject({
      TableName: 'customer-service-dev-customers',
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(dynamodbActions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });

  it('passes cfn-lint', () => {
    // Act
    const lint = cfnLint([template.file]);

    // Assess
    expect(lint).toMatchObject({ available: true, status: 0 });
  });
});
