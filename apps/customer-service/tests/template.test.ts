import path from 'node:path';
import {
  apiMonitoringOf,
  sharedApiMonitoring,
  accessLoggingOf,
  sharedAccessLogging,
  cfnLint,
  cfnText,
  readPackagedTemplate,
  resourcesOfType,
  functionRoles,
  roleIsolationProblems,
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

  // One role per function (serverless-iam-roles-per-function), each with exactly the calls its handler makes: the
  // local cloud enforces these statements on every DynamoDB call, as AWS does.
  it('keeps customers in an on-demand table, each function’s own role holding only the item calls it makes', () => {
    // Act
    const [[, table]] = resourcesOfType(template, 'AWS::DynamoDB::Table') as [[string, CfnResource]];
    const roles = functionRoles(template);

    // Assess
    expect(table.Properties).toMatchObject({
      TableName: 'customer-service-dev-customers',
      BillingMode: 'PAY_PER_REQUEST',
    });
    const customers = '${CustomersTable.Arn}';
    expect(Object.fromEntries(Object.entries(roles).map(([fn, role]) => [fn, role.statements]))).toEqual({
      CreateCustomerLambdaFunction: [['Allow', ['dynamodb:PutItem'], [customers]]],
      GetCustomerLambdaFunction: [['Allow', ['dynamodb:GetItem'], [customers]]],
      PutCustomerLambdaFunction: [['Allow', ['dynamodb:GetItem', 'dynamodb:PutItem'], [customers]]],
      WhoamiLambdaFunction: [],
    });
    expect(Object.keys(roles)).toHaveLength(4);
    expect(roleIsolationProblems(template)).toEqual([]);
  });

  // The API's alarms and dashboard (infra/serverless/api-monitoring.yml) on AWS/ApiGateway's per-minute metrics:
  // 4XXError and 5XXError are 1 or 0 per request, so Average is the rate
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
  it("alarms on the API's 4XX and 5XX rates and its authorizer latency, with a dashboard of the same metrics", () => {
    // Act
    const monitoring = apiMonitoringOf(template);

    // Assess
    expect(monitoring).toEqual(sharedApiMonitoring('dev-customer-service', 'dev'));
  });

  // Access logs (infra/serverless/access-log.yml): Serverless sets the stage's format after deploy, from its state.
  it('writes a JSON access log with the caller, the refusal, the status and the latencies', () => {
    // Act
    const logging = accessLoggingOf(path.resolve(__dirname, '..'), template);

    // Assess
    expect(logging).toMatchObject(sharedAccessLogging('customer-service', 'dev'));
    // API Gateway writes "-" for a variable without a value: only a quoted one keeps the line JSON.
    expect(Object.values(logging.fields).every((value) => /^\$context\.[\w.]+$/.test(value))).toBe(true);
  });

  it('passes cfn-lint', () => {
    // Act
    const lint = cfnLint([template.file]);

    // Assess
    expect(lint).toMatchObject({ available: true, status: 0 });
  });
});
