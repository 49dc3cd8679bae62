import path from 'node:path';
import {
  actionsOf,
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

const ORDERS_READ = 'orders-api/orders.read';
/** Every method: `<VERB> <path>` -> how it is authorized. */
const EXPECTED_METHODS = {
  'POST /orders': { AuthorizationType: 'AWS_IAM' },
  'GET /orders/{id}': { AuthorizationType: 'AWS_IAM' },
  'POST /me/orders': { AuthorizationType: 'COGNITO_USER_POOLS', scopes: [] },
  'GET /me/orders': { AuthorizationType: 'COGNITO_USER_POOLS', scopes: [] },
  'GET /me/orders/{id}': { AuthorizationType: 'COGNITO_USER_POOLS', scopes: [] },
  'GET /partner/orders/{id}': { AuthorizationType: 'COGNITO_USER_POOLS', scopes: [ORDERS_READ] },
  // cors: true on the /me routes: their preflights (MOCK integrations, no authorizer).
  'OPTIONS /me/orders': { AuthorizationType: 'NONE' },
  'OPTIONS /me/orders/{id}': { AuthorizationType: 'NONE' },
  // Staff of the company's IdP: the adminAuthorizer Lambda (TOKEN) authorizer.
  'GET /admin/orders': { AuthorizationType: 'CUSTOM' },
  'DELETE /admin/orders/{id}': { AuthorizationType: 'CUSTOM' },
};
const AUTHORIZER_OF: Record<string, string> = {
  COGNITO_USER_POOLS: 'UserPoolApiGatewayAuthorizer',
  CUSTOM: 'AdminAuthorizerApiGatewayAuthorizer',
};

/** A resource's path, from its PathParts up to the API's root. */
function pathOf(resourceId: unknown): string {
  const ref = (resourceId as { Ref?: string }).Ref;
  if (ref === undefined) return '';
  const resource = template.Resources[ref]?.Properties as { ParentId: unknown; PathPart: string };
  return `${pathOf(resource.ParentId)}/${resource.PathPart}`;
}
const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, method]) => {
  const properties = method.Properties as Record<string, unknown>;
  return { route: `${String(properties.HttpMethod)} ${pathOf(properties.ResourceId)}`, properties };
});

/**
 * Whether a resource-policy statement covers a request to `route` (`{id}` filled in): its `execute-api:/`
 * resources expanded as API Gateway expands them, `*` matching any characters, slashes included (IAM's rule).
 */
function covers(statement: IamStatement, route: string): boolean {
  const [verb, routePath] = route.split(' ') as [string, string];
  const methodArn = `arn:aws:execute-api:us-east-1:000000000000:abc123/dev/${verb}${routePath.replace('{id}', '4f6a2b1c-0000-4000-8000-000000000000')}`;
  return [statement.Resource].flat().some((resource) => {
    const arn = String(resource).replace(
      /^execute-api:\//,
      'arn:aws:execute-api:us-east-1:000000000000:abc123/',
    );
    const pattern = arn.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${pattern}$`).test(methodArn);
  });
}

describe('order-service packaged template', () => {
  // One role per function (serverless-iam-roles-per-function), each with exactly the calls its handler makes: the
  // local cloud enforces these statements on every DynamoDB and execute-api call, as AWS does.
  it('gives every function its own role with exactly the AWS calls it makes, and its own log group', () => {
    // Prepare
    const table = '${OrdersTable.Arn}';
    const getCustomer =
      'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Import:customer-service-dev-RestApiId}/dev/GET/customers/*';
    const placeOrder = [
      ['Allow', ['dynamodb:GetItem', 'dynamodb:PutItem'], [table]],
      ['Allow', ['execute-api:Invoke'], [getCustomer]],
    ];
    const readOrder = [['Allow', ['dynamodb:GetItem'], [table]]];

    // Act
    const roles = functionRoles(template);

    // Assess
    expect(Object.fromEntries(Object.entries(roles).map(([fn, role]) => [fn, role.statements]))).toEqual({
      CreateOrderLambdaFunction: placeOrder,
      GetOrderLambdaFunction: readOrder,
      CreateMyOrderLambdaFunction: placeOrder,
      ListMyOrdersLambdaFunction: [['Allow', ['dynamodb:Query'], [`${table}/index/byOwner`]]],
      GetMyOrderLambdaFunction: readOrder,
      GetPartnerOrderLambdaFunction: readOrder,
      AdminAuthorizerLambdaFunction: [],
      ListAdminOrdersLambdaFunction: [['Allow', ['dynamodb:Query'], [`${table}/index/byCreation`]]],
      CancelOrderLambdaFunction: [['Allow', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [table]]],
    });
    expect(Object.keys(roles)).toHaveLength(9);
    expect(roleIsolationProblems(template)).toEqual([]);
  });

  it('leaves Serverless’s shared role unused, with only log permissions', () => {
    // Act
    const shared = template.Resources.IamRoleLambdaExecution?.Properties as {
      Policies: Array<{ PolicyDocument: { Statement: IamStatement[] } }>;
    };
    const users = Object.values(functionRoles(template)).filter(
      (role) => role.role === 'IamRoleLambdaExecution',
    );

    // Assess
    expect(users).toEqual([]);
    const actions = shared.Policies.flatMap((policy) => policy.PolicyDocument.Statement).flatMap(actionsOf);
    expect(actions.every((action) => action.startsWith('logs:'))).toBe(true);
  });

  it('indexes end users’ orders by owner and all orders for staff, newest first (sort createdAt)', () => {
    // Act
    const table = template.Resources.OrdersTable?.Properties as Record<string, unknown>;

    // Assess
    expect(table.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byOwner',
        KeySchema: [
          { AttributeName: 'ownerSub', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byCreation',
        KeySchema: [
          { AttributeName: 'listing', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'listing', AttributeType: 'S' },
        { AttributeName: 'ownerSub', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ]),
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

  it('has one Cognito authorizer: identity-service’s exported user pool, the token in Authorization', () => {
    // Act
    const authorizers = resourcesOfType(template, 'AWS::ApiGateway::Authorizer');

    // Assess
    expect(authorizers.map(([name]) => name)).toEqual([
      'UserPoolApiGatewayAuthorizer',
      'AdminAuthorizerApiGatewayAuthorizer',
    ]);
    const properties = (authorizers[0]?.[1] as CfnResource).Properties as Record<string, unknown>;
    expect(properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      RestApiId: { Ref: 'ApiGatewayRestApi' },
    });
    expect((properties.ProviderARNs as unknown[]).map(cfnText)).toEqual([
      '${Import:identity-service-dev-UserPoolArn}',
    ]);
  });

  it('has the adminAuthorizer TOKEN authorizer: Authorization as "Bearer <JWT>", 300 s cache, invoked by API Gateway only', () => {
    // Act
    const properties = template.Resources.AdminAuthorizerApiGatewayAuthorizer?.Properties as Record<
      string,
      unknown
    >;
    const permission = template.Resources.AdminAuthorizerLambdaPermissionApiGateway?.Properties as Record<
      string,
      unknown
    >;
    const variables = (
      template.Resources.AdminAuthorizerLambdaFunction?.Properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;

    // Assess
    expect(properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
      IdentityValidationExpression: '^Bearer [-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+$',
    });
    expect(cfnText(properties.AuthorizerUri)).toBe(
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AdminAuthorizerLambdaFunction.Arn}/invocations',
    );
    expect(properties.AuthorizerCredentials).toBeUndefined();
    expect(permission).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
    });
    expect(cfnText(permission.SourceArn)).toBe(
      'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*/*',
    );
    // Stage dev, no STAFF_* set: placeholders that match no real IdP, so every staff token is refused.
    expect(variables).toMatchObject({
      STAFF_ISSUER: 'https://idp.invalid/set-STAFF_ISSUER',
      STAFF_JWKS_URI: 'https://idp.invalid/set-STAFF_JWKS_URI',
      STAFF_AUDIENCE: 'set-STAFF_AUDIENCE',
    });
  });

  it('protects /orders with AWS_IAM, /me with ID tokens (no scopes), /partner with the orders-api scope, /admin with adminAuthorizer', () => {
    // Act
    const actual = Object.fromEntries(
      methods.map(({ route, properties }) => [
        route,
        properties.AuthorizationType === 'COGNITO_USER_POOLS'
          ? {
              AuthorizationType: properties.AuthorizationType,
              scopes: properties.AuthorizationScopes ?? [],
              authorizer: properties.AuthorizerId,
            }
          : { AuthorizationType: properties.AuthorizationType, authorizer: properties.AuthorizerId },
      ]),
    );

    // Assess
    expect(actual).toEqual(
      Object.fromEntries(
        Object.entries(EXPECTED_METHODS).map(([route, expected]) => [
          route,
          {
            ...expected,
            authorizer:
              AUTHORIZER_OF[expected.AuthorizationType] === undefined
                ? undefined
                : { Ref: AUTHORIZER_OF[expected.AuthorizationType] },
          },
        ]),
      ),
    );
  });

  it('denies other accounts every AWS_IAM method, explicitly allows (only) the Cognito methods and their preflights, leaves CUSTOM to its authorizer', () => {
    // Arrange: a Cognito method's caller is anonymous to IAM (no aws:PrincipalAccount), so a Deny on it would
    // refuse every signed-in user, and without an explicit Allow API Gateway refuses them too.
    const statements = (
      template.Resources.ApiGatewayRestApi?.Properties as { Policy: { Statement: IamStatement[] } }
    ).Policy.Statement;
    const denies = statements.filter((statement) => statement.Effect === 'Deny');
    const allows = statements.filter((statement) => statement.Effect === 'Allow');

    // Act
    const coverage = methods.map(({ route, properties }) => [
      route,
      properties.AuthorizationType,
      denies.some((statement) => covers(statement, route)),
      allows.some((statement) => covers(statement, route)),
    ]);

    // Assess
    expect(denies).toEqual([
      expect.objectContaining({
        Principal: '*',
        Action: ['execute-api:Invoke'],
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(allows).toEqual([expect.objectContaining({ Principal: '*', Action: ['execute-api:Invoke'] })]);
    expect(allows[0]).not.toHaveProperty('Condition');
    // NONE (the CORS preflights) needs the explicit Allow as much as COGNITO_USER_POOLS does. CUSTOM needs
    // neither: a Lambda authorizer's Allow with a resource policy that neither allows nor denies is an Allow
    // (Table A of apigateway-authorization-flow.html), and a Deny would refuse before the authorizer runs.
    expect(coverage).toEqual(
      methods.map(({ route, properties }) => {
        if (properties.AuthorizationType === 'AWS_IAM') return [route, 'AWS_IAM', true, false];
        if (properties.AuthorizationType === 'CUSTOM') return [route, 'CUSTOM', false, false];
        return [route, properties.AuthorizationType, false, true];
      }),
    );
  });

  it('puts the CORS header on API Gateway’s own 4xx and 5xx answers (gateway responses)', () => {
    // Act
    const responses = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::ApiGateway::GatewayResponse')
      .map(
        (resource) =>
          resource.Properties as { ResponseType: string; ResponseParameters: Record<string, string> },
      );

    // Assess
    expect(responses.map((response) => response.ResponseType).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const response of responses)
      expect(response.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'*'");
  });

  it('meters partners: GET /partner/orders/{id} needs an API key of the "partners" usage plan, no key value in the template', () => {
    // Act
    const method = methods.find(({ route }) => route === 'GET /partner/orders/{id}');
    const others = methods.filter(({ route }) => route !== 'GET /partner/orders/{id}');
    const keys = resourcesOfType(template, 'AWS::ApiGateway::ApiKey');
    const plans = resourcesOfType(template, 'AWS::ApiGateway::UsagePlan');
    const planKeys = resourcesOfType(template, 'AWS::ApiGateway::UsagePlanKey');

    // Assess
    expect(method?.properties.ApiKeyRequired).toBe(true);
    expect(others.map(({ properties }) => properties.ApiKeyRequired ?? false)).toEqual(
      others.map(() => false),
    );
    expect(keys.map(([, resource]) => resource.Properties)).toEqual([
      expect.objectContaining({ Enabled: true, Name: 'partner-acme-dev' }),
    ]);
    expect(keys[0]?.[1].Properties).not.toHaveProperty('Value');
    expect(plans.map(([, resource]) => resource.Properties)).toEqual([
      expect.objectContaining({
        ApiStages: [{ ApiId: { Ref: 'ApiGatewayRestApi' }, Stage: 'dev' }],
        Throttle: { BurstLimit: 20, RateLimit: 10 },
        Quota: { Limit: 10000, Period: 'DAY' },
      }),
    ]);
    expect(planKeys.map(([, resource]) => resource.Properties)).toEqual([
      { KeyId: { Ref: keys[0]?.[0] }, KeyType: 'API_KEY', UsagePlanId: { Ref: plans[0]?.[0] } },
    ]);
  });

  // The API's alarms and dashboard (infra/serverless/api-monitoring.yml) on AWS/ApiGateway's per-minute metrics:
  // 4XXError and 5XXError are 1 or 0 per request, so Average is the rate
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
  it("alarms on the API's 4XX and 5XX rates and its authorizer latency, with a dashboard of the same metrics", () => {
    // Act
    const monitoring = apiMonitoringOf(template);

    // Assess
    expect(monitoring).toEqual(sharedApiMonitoring('dev-order-service', 'dev'));
  });

  // Access logs (infra/serverless/access-log.yml): Serverless sets the stage's format after deploy, from its state.
  it('writes a JSON access log with the caller, the refusal, the status and the latencies', () => {
    // Act
    const logging = accessLoggingOf(path.resolve(__dirname, '..'), template);

    // Assess
    expect(logging).toMatchObject(sharedAccessLogging('order-service', 'dev'));
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
