import path from 'node:path';
import {
  cfnLint,
  cfnText,
  readPackagedTemplate,
  resourcesOfType,
  roleStatements,
  type CfnResource,
} from '@sigv4-auth/testing';

// The packaged CloudFormation (`serverless package`, run by `nx test` first): what AWS would deploy.
const template = readPackagedTemplate(path.resolve(__dirname, '..'));
const resource = (logicalId: string): CfnResource => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in ${template.file}`);
  return found;
};
const TRIGGER_ARN = { 'Fn::GetAtt': ['OnUserConfirmedLambdaFunction', 'Arn'] };
const POOL = { Ref: 'UserPool' };

describe('identity-service packaged template', () => {
  it('holds the user pool, its clients, resource server and domain, the trigger, and no API', () => {
    // Act
    const types = Object.values(template.Resources).map((r) => r.Type);

    // Assess
    expect(types.filter((type) => type.startsWith('AWS::Cognito::')).sort()).toEqual([
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
      'AWS::Cognito::UserPoolResourceServer',
    ]);
    expect(resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id)).toEqual([
      'OnUserConfirmedLambdaFunction',
    ]);
    expect(types.filter((type) => type.startsWith('AWS::ApiGateway'))).toEqual([]);
    // Wired in resources, not by a cognitoUserPool event with `existing: true` (a custom resource).
    expect(types.filter((type) => type.startsWith('Custom::'))).toEqual([]);
  });

  it('makes the email the username, with a password policy and the trigger on PostConfirmation', () => {
    // Act
    const pool = resource('UserPool').Properties;

    // Assess
    expect(pool).toMatchObject({
      UserPoolName: 'identity-service-dev',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          TemporaryPasswordValidityDays: 7,
        },
      },
      LambdaConfig: { PostConfirmation: TRIGGER_ARN },
    });
    expect(Object.keys(pool?.LambdaConfig as object)).toEqual(['PostConfirmation']);
  });

  it('lets Cognito invoke the trigger for this pool only', () => {
    // Act
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, p]) => p.Properties);

    // Assess
    expect(permissions).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: TRIGGER_ARN,
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      },
    ]);
  });

  it('gives the web app a public client for its users: SRP, password and refresh, hour-long tokens', () => {
    // Act
    const web = resource('WebClient').Properties;

    // Assess
    expect(web).toEqual({
      ClientName: 'web',
      UserPoolId: POOL,
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 1,
      IdTokenValidity: 1,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
      EnableTokenRevocation: true,
    });
  });

  it('gives partners a secret client for client_credentials with orders-api/orders.read, and no user sign-in', () => {
    // Act
    const partner = resource('PartnerClient');
    const server = resource('OrdersApiResourceServer');

    // Assess
    expect(server.Properties).toMatchObject({
      UserPoolId: POOL,
      Identifier: 'orders-api',
      Scopes: [{ ScopeName: 'orders.read', ScopeDescription: expect.any(String) }],
    });
    expect(partner.DependsOn).toEqual(['OrdersApiResourceServer']);
    expect(partner.Properties).toMatchObject({
      ClientName: 'partner',
      UserPoolId: POOL,
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders-api/orders.read'],
      // An absent list would allow SRP and custom sign-in of users through this client.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('names the hosted domain after the stage unless COGNITO_DOMAIN_PREFIX says otherwise', () => {
    // Act
    const domain = resource('UserPoolDomain').Properties;

    // Assess
    expect(domain).toEqual({
      Domain: process.env.COGNITO_DOMAIN_PREFIX ?? 'shop-identity-dev',
      UserPoolId: POOL,
    });
  });

  it('lets the trigger role invoke exactly PUT /customers/* of the imported customer-service API, nothing else', () => {
    // Act
    const statements = roleStatements(template).map((statement) => ({
      ...statement,
      Resource: [statement.Resource].flat().map(cfnText),
    }));

    // Assess: its logs, and one execute-api statement with no wildcard in the API id, stage or method.
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
        Resource: [
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/identity-service-dev*:*',
        ],
      },
      {
        Effect: 'Allow',
        Action: ['logs:PutLogEvents'],
        Resource: [
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/identity-service-dev*:*:*',
        ],
      },
      {
        Effect: 'Allow',
        Action: ['execute-api:Invoke'],
        Resource: [
          'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Import:customer-service-dev-RestApiId}/dev/PUT/customers/*',
        ],
      },
    ]);
  });

  it('reads CUSTOMER_API_URL from customer-service’s exported ServiceEndpoint', () => {
    // Act
    const trigger = resource('OnUserConfirmedLambdaFunction').Properties as {
      Environment: { Variables: Record<string, unknown> };
      Timeout: number;
    };

    // Assess
    expect(cfnText(trigger.Environment.Variables.CUSTOMER_API_URL)).toBe(
      '${Import:sls-customer-service-dev-ServiceEndpoint}',
    );
    // Cognito waits 5 s for a trigger.
    expect(trigger.Timeout).toBeLessThanOrEqual(5);
  });

  it('exports the pool id and ARN, its issuer and the client ids for order-service, never the secret', () => {
    // Act
    const exports = Object.fromEntries(
      Object.values(template.Outputs)
        .filter((output) => output.Export)
        .map((output) => [cfnText(output.Export?.Name), cfnText(output.Value)]),
    );

    // Assess
    expect(exports).toMatchObject({
      'identity-service-dev-UserPoolId': '${UserPool}',
      'identity-service-dev-UserPoolArn': '${UserPool.Arn}',
      'identity-service-dev-UserPoolIssuer': '${UserPool.ProviderURL}',
      'identity-service-dev-WebClientId': '${WebClient}',
      'identity-service-dev-PartnerClientId': '${PartnerClient}',
    });
    expect(JSON.stringify(template.Outputs)).not.toContain('ClientSecret');
  });

  it('passes cfn-lint', () => {
    // Act
    const lint = cfnLint([template.file]);

    // Assess
    expect(lint).toMatchObject({ available: true, status: 0 });
  });
});
