import {
  evaluateConditions,
  MissingExportError,
  resolveOutputs,
  resolveValue,
  resourcesToCreate,
  type CloudFormationTemplate,
  type ResolutionContext,
} from './index';
import packagedTemplate from './testing/order-service-template.json';
import { createTestContext, type CreatedResource } from './testing/test-context';

// The shape `serverless package` writes to .serverless/cloudformation-template-update-stack.json, cut down
// to one function behind one API method, importing two exports of another stack.
const TEMPLATE = packagedTemplate as CloudFormationTemplate;
const ARN_PREFIX = 'arn:aws';
const CUSTOMER_EXPORTS = {
  'customer-service-local-RestApiId': 'cust42',
  'sls-customer-service-local-ServiceEndpoint': 'https://cust42.execute-api.eu-west-1.amazonaws.com/local',
};

/** What a local deployer would record for each type: enough for the Refs and GetAtts of the template. */
function create(logicalId: string, type: string, properties: Record<string, unknown>): CreatedResource {
  const named = (key: string): string => properties[key] as string;
  switch (type) {
    case 'AWS::IAM::Role':
      return {
        physicalId: named('RoleName'),
        attributes: { Arn: `${ARN_PREFIX}:iam::123456789012:role/${named('RoleName')}` },
      };
    case 'AWS::Lambda::Function':
      return {
        physicalId: named('FunctionName'),
        attributes: { Arn: `${ARN_PREFIX}:lambda:eu-west-1:123456789012:function:${named('FunctionName')}` },
      };
    case 'AWS::DynamoDB::Table':
      return {
        physicalId: named('TableName'),
        attributes: { Arn: `${ARN_PREFIX}:dynamodb:eu-west-1:123456789012:table/${named('TableName')}` },
      };
    case 'AWS::ApiGateway::RestApi':
      return { physicalId: 'ord42', attributes: { RootResourceId: 'root0' } };
    case 'AWS::Lambda::Version':
      return {
        physicalId: `${ARN_PREFIX}:lambda:eu-west-1:123456789012:function:${named('FunctionName')}:1`,
      };
    default:
      return { physicalId: `${logicalId.toLowerCase()}-local` };
  }
}

/** The deployer's loop: conditions, then each resource in order with its properties resolved, then outputs. */
function deploy(ctxFor: (created: Map<string, CreatedResource>) => ResolutionContext) {
  const created = new Map<string, CreatedResource>();
  const ctx = ctxFor(created);
  const conditions = evaluateConditions(TEMPLATE, ctx);
  const properties = new Map<string, Record<string, unknown>>();
  for (const logicalId of resourcesToCreate(TEMPLATE, conditions)) {
    const resource = TEMPLATE.Resources[logicalId];
    const at = `Resources.${logicalId}.Properties`;
    const resolved = resolveValue(resource?.Properties ?? {}, ctx, conditions, TEMPLATE, at) as Record<
      string,
      unknown
    >;
    properties.set(logicalId, resolved);
    created.set(logicalId, create(logicalId, resource?.Type ?? '', resolved));
  }
  return { order: [...created.keys()], properties, outputs: resolveOutputs(TEMPLATE, ctx, conditions) };
}

/** A context backed by what the loop has created so far. */
function liveContext(exports: Record<string, string>) {
  return (created: Map<string, CreatedResource>): ResolutionContext => {
    const base = createTestContext({ exports });
    return {
      ...base,
      ref: (logicalId) => created.get(logicalId)?.physicalId,
      getAtt: (logicalId, attribute) => created.get(logicalId)?.attributes?.[attribute],
    };
  };
}

describe('a Serverless Framework packaged template', () => {
  it('creates every resource after what it refers to and DependsOn', () => {
    // Act
    const { order } = deploy(liveContext(CUSTOMER_EXPORTS));

    // Assess
    const before = (first: string, second: string) =>
      expect(order.indexOf(first)).toBeLessThan(order.indexOf(second));
    expect(order).toHaveLength(Object.keys(TEMPLATE.Resources).length);
    before('CreateOrderLogGroup', 'CreateOrderLambdaFunction'); // DependsOn
    before('OrdersTable', 'IamRoleLambdaExecution'); // Fn::GetAtt in the policy
    before('IamRoleLambdaExecution', 'CreateOrderLambdaFunction');
    before('CreateOrderLambdaPermissionApiGateway', 'ApiGatewayMethodOrdersPost'); // DependsOn
    before('ApiGatewayMethodOrdersPost', 'ApiGatewayDeployment1795523299375'); // DependsOn
  });

  it('resolves the role policy, importing the other API id into an Fn::Sub variable', () => {
    // Act
    const { properties } = deploy(liveContext(CUSTOMER_EXPORTS));

    // Assess
    const role = properties.get('IamRoleLambdaExecution');
    expect(role?.['RoleName']).toBe('order-service-local-eu-west-1-lambdaRole');
    expect(role?.['Policies']).toEqual([
      {
        PolicyName: 'order-service-local-lambda',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:CreateLogGroup'],
              Resource: ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/order-service-local*:*'],
            },
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
              Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/order-service-local-orders',
            },
            {
              Effect: 'Allow',
              Action: ['execute-api:Invoke'],
              Resource: 'arn:aws:execute-api:eu-west-1:123456789012:cust42/local/GET/customers/*',
            },
          ],
        },
      },
    ]);
  });

  it('resolves the function environment with the imported endpoint, and the integration URI', () => {
    // Act
    const { properties } = deploy(liveContext(CUSTOMER_EXPORTS));

    // Assess
    expect(properties.get('CreateOrderLambdaFunction')).toMatchObject({
      Code: { S3Bucket: 'serverlessdeploymentbucket-local' },
      Environment: {
        Variables: {
          ORDERS_TABLE: 'order-service-local-orders',
          CUSTOMER_API_URL: 'https://cust42.execute-api.eu-west-1.amazonaws.com/local',
        },
      },
      Role: 'arn:aws:iam::123456789012:role/order-service-local-eu-west-1-lambdaRole',
    });
    expect(properties.get('ApiGatewayMethodOrdersPost')?.['Integration']).toEqual({
      IntegrationHttpMethod: 'POST',
      Type: 'AWS_PROXY',
      Uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:order-service-local-createOrder/invocations',
    });
    expect(properties.get('ApiGatewayResourceOrders')).toEqual({
      ParentId: 'root0',
      PathPart: 'orders',
      RestApiId: 'ord42',
    });
  });

  it('resolves the outputs, ServiceEndpoint included, with their export names', () => {
    // Act
    const { outputs } = deploy(liveContext(CUSTOMER_EXPORTS));

    // Assess
    expect(outputs).toEqual([
      {
        key: 'ServerlessDeploymentBucketName',
        value: 'serverlessdeploymentbucket-local',
        exportName: 'sls-order-service-local-ServerlessDeploymentBucketName',
      },
      {
        key: 'CreateOrderLambdaFunctionQualifiedArn',
        value: 'arn:aws:lambda:eu-west-1:123456789012:function:order-service-local-createOrder:1',
        description: 'Current Lambda function version',
        exportName: 'sls-order-service-local-CreateOrderLambdaFunctionQualifiedArn',
      },
      {
        key: 'ServiceEndpoint',
        value: 'https://ord42.execute-api.eu-west-1.amazonaws.com/local',
        description: 'URL of the service endpoint',
        exportName: 'sls-order-service-local-ServiceEndpoint',
      },
      {
        key: 'RestApiId',
        value: 'ord42',
        description: 'Id of the order-service REST API',
        exportName: 'order-service-local-RestApiId',
      },
    ]);
  });

  it('fails on the first import of a stack that is not deployed, saying where', () => {
    // Act
    const act = () => deploy(liveContext({}));

    // Assess
    expect(act).toThrow(MissingExportError);
    expect(act).toThrow(
      'No export named customer-service-local-RestApiId found (at Resources.IamRoleLambdaExecution.Properties' +
        '.Policies[0].PolicyDocument.Statement[2].Resource.Fn::Sub[1].ApiId.Fn::ImportValue)',
    );
  });
});
