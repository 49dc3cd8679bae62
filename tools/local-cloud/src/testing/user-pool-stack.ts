import type { Stack } from '../cloudformation/deployer/stack';
import type { CloudFormationTemplate } from '../cloudformation/template';
import type { LocalCloud } from '../local-cloud';
import { deployWithSources } from './probe-stack';

export interface UserPoolStackOptions {
  stackName?: string;
  /** Trigger sources (`exports.handler = ...`), e.g. `{ PostConfirmation: '...' }`. */
  triggers?: Record<string, string>;
  /** Whether each trigger gets its AWS::Lambda::Permission for cognito-idp.amazonaws.com. Default true. */
  triggerPermissions?: boolean;
  /** Extra properties of the pool. */
  poolProperties?: Record<string, unknown>;
  /** Extra properties of the web client. */
  webClientProperties?: Record<string, unknown>;
}

export interface UserPoolStack {
  stack: Stack;
  poolId: string;
  poolArn: string;
  /** No secret; SRP, USER_PASSWORD_AUTH and refresh; PreventUserExistenceErrors ENABLED. */
  webClientId: string;
  /** A secret; USER_PASSWORD_AUTH, admin password auth and refresh; PreventUserExistenceErrors unset (LEGACY). */
  secretClientId: string;
  secretClientSecret: string;
  /** client_credentials only, scope `orders-api/orders.read`. */
  partnerClientId: string;
  partnerClientSecret: string;
  /** A secret and client_credentials allowed, but no flow: for unauthorized_client. */
  noFlowClientId: string;
  noFlowClientSecret: string;
}

/** The CloudFormation of a pool shaped like the shop's (email as username), with clients for every test. */
export function userPoolStackTemplate(options: UserPoolStackOptions = {}): CloudFormationTemplate {
  const name = options.stackName ?? 'pool';
  const triggers = options.triggers ?? {};
  const resources: Record<string, unknown> = {
    Pool: {
      Type: 'AWS::Cognito::UserPool',
      Properties: {
        UserPoolName: `${name}-users`,
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
          },
        },
        LambdaConfig: Object.fromEntries(
          Object.keys(triggers).map((trigger) => [trigger, { 'Fn::GetAtt': [`${trigger}Function`, 'Arn'] }]),
        ),
        ...options.poolProperties,
      },
    },
    WebClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: {
        UserPoolId: { Ref: 'Pool' },
        ClientName: 'web',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        ...options.webClientProperties,
      },
    },
    SecretClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: {
        UserPoolId: { Ref: 'Pool' },
        ClientName: 'server',
        GenerateSecret: true,
        ExplicitAuthFlows: [
          'ALLOW_USER_PASSWORD_AUTH',
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
        AccessTokenValidity: 10,
        IdTokenValidity: 10,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      },
    },
    OrdersApi: {
      Type: 'AWS::Cognito::UserPoolResourceServer',
      Properties: {
        UserPoolId: { Ref: 'Pool' },
        Identifier: 'orders-api',
        Name: 'orders-api',
        Scopes: [
          { ScopeName: 'orders.read', ScopeDescription: 'Read orders' },
          { ScopeName: 'orders.write', ScopeDescription: 'Write orders' },
        ],
      },
    },
    PartnerClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      DependsOn: ['OrdersApi'],
      Properties: {
        UserPoolId: { Ref: 'Pool' },
        ClientName: 'partner',
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['orders-api/orders.read'],
      },
    },
    NoFlowClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: { UserPoolId: { Ref: 'Pool' }, ClientName: 'no-flow', GenerateSecret: true },
    },
    Domain: {
      Type: 'AWS::Cognito::UserPoolDomain',
      Properties: { UserPoolId: { Ref: 'Pool' }, Domain: `${name}-local-test` },
    },
    Admins: {
      Type: 'AWS::Cognito::UserPoolGroup',
      Properties: { UserPoolId: { Ref: 'Pool' }, GroupName: 'admin', Precedence: 1 },
    },
    Support: {
      Type: 'AWS::Cognito::UserPoolGroup',
      Properties: { UserPoolId: { Ref: 'Pool' }, GroupName: 'support', Precedence: 5 },
    },
  };
  for (const trigger of Object.keys(triggers)) {
    resources[`${trigger}Role`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
          ],
        },
      },
    };
    resources[`${trigger}Function`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `${name}-${trigger}`,
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Timeout: 3,
        Code: { S3Bucket: 'unused', S3Key: `${trigger}.zip` },
        Role: { 'Fn::GetAtt': [`${trigger}Role`, 'Arn'] },
      },
    };
    if (options.triggerPermissions !== false)
      resources[`${trigger}Permission`] = {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': [`${trigger}Function`, 'Arn'] },
          Action: 'lambda:InvokeFunction',
          Principal: 'cognito-idp.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': ['Pool', 'Arn'] },
        },
      };
  }
  const output = (value: unknown) => ({ Value: value });
  return {
    Resources: resources,
    Outputs: {
      PoolId: output({ Ref: 'Pool' }),
      PoolArn: output({ 'Fn::GetAtt': ['Pool', 'Arn'] }),
      WebClientId: output({ Ref: 'WebClient' }),
      SecretClientId: output({ Ref: 'SecretClient' }),
      SecretClientSecret: output({ 'Fn::GetAtt': ['SecretClient', 'ClientSecret'] }),
      PartnerClientId: output({ Ref: 'PartnerClient' }),
      PartnerClientSecret: output({ 'Fn::GetAtt': ['PartnerClient', 'ClientSecret'] }),
      NoFlowClientId: output({ Ref: 'NoFlowClient' }),
      NoFlowClientSecret: output({ 'Fn::GetAtt': ['NoFlowClient', 'ClientSecret'] }),
    },
  } as unknown as CloudFormationTemplate;
}

/** Deploys `userPoolStackTemplate` and returns its ids and secrets. */
export async function deployUserPoolStack(
  cloud: LocalCloud,
  options: UserPoolStackOptions = {},
): Promise<UserPoolStack> {
  const stackName = options.stackName ?? 'pool';
  const packages = Object.fromEntries(
    Object.entries(options.triggers ?? {}).map(([trigger, source]) => [`${trigger}.zip`, source]),
  );
  const stack = await deployWithSources(cloud, stackName, userPoolStackTemplate(options), packages);
  const out = (key: string) => {
    const value = stack.outputs.find((output) => output.key === key)?.value;
    if (typeof value !== 'string') throw new Error(`stack ${stackName} has no output ${key}`);
    return value;
  };
  return {
    stack,
    poolId: out('PoolId'),
    poolArn: out('PoolArn'),
    webClientId: out('WebClientId'),
    secretClientId: out('SecretClientId'),
    secretClientSecret: out('SecretClientSecret'),
    partnerClientId: out('PartnerClientId'),
    partnerClientSecret: out('PartnerClientSecret'),
    noFlowClientId: out('NoFlowClientId'),
    noFlowClientSecret: out('NoFlowClientSecret'),
  };
}
