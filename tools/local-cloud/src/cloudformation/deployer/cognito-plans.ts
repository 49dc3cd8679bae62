import {
  DEFAULT_PASSWORD_POLICY,
  STANDARD_ATTRIBUTES,
  type AppClient,
  type PasswordPolicy,
  type ResourceServer,
  type UserGroup,
} from '../../cognito';
import { DeploymentError } from './errors';
import { deterministicId, generatedName } from './physical-ids';

type Props = Record<string, unknown>;

/** The CloudFormation context a Cognito planner needs (a subset of the deployer's PlanContext). */
export interface CognitoPlanContext {
  stackName: string;
  logicalId: string;
  accountId: string;
  region: string;
  /** The client secret this cloud gives an app client id (stable across redeploys and restarts). */
  clientSecret: (clientId: string) => string;
}

export type CognitoPlan =
  | {
      kind: 'user-pool';
      id: string;
      name: string;
      arn: string;
      usernameAttributes: string[];
      autoVerifiedAttributes: string[];
      caseSensitive: boolean;
      passwordPolicy: PasswordPolicy;
      lambdaConfig: Record<string, string>;
      adminCreateUserOnly: boolean;
      customAttributes: string[];
      requiredAttributes: string[];
      selfServiceRecovery: boolean;
    }
  | { kind: 'user-pool-client'; poolId: string; client: AppClient }
  | { kind: 'user-pool-group'; poolId: string; group: UserGroup }
  | { kind: 'user-pool-resource-server'; poolId: string; server: ResourceServer }
  | { kind: 'user-pool-domain'; poolId: string; domain: string };

interface CognitoPlanned {
  physicalId: string;
  attributes: Record<string, unknown>;
  plan: CognitoPlan;
}

/** Triggers the local cloud runs; any other is refused, never deployed and silently not called. */
const SUPPORTED_TRIGGERS = ['PreSignUp', 'PostConfirmation'];
const USERNAME_ATTRIBUTES = ['email'];
const ALLOW_FLOWS = [
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];
/** The legacy names and what they stand for; they cannot be mixed with ALLOW_* (CFN UserPoolClient docs). */
const LEGACY_FLOWS: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
};
/** "If you don't specify a value for ExplicitAuthFlows, your user client supports ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH" (CFN AWS::Cognito::UserPoolClient). */
const DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

function refuse(ctx: CognitoPlanContext, message: string): never {
  throw new DeploymentError(`${ctx.logicalId}: ${message}`);
}

function requiredString(props: Props, key: string, ctx: CognitoPlanContext): string {
  const value = props[key];
  if (typeof value !== 'string' || value === '') refuse(ctx, `property ${key} is required`);
  return value;
}

function stringList(props: Props, key: string, ctx: CognitoPlanContext): string[] | undefined {
  const value = props[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    refuse(ctx, `${key} must be a list of strings`);
  return value as string[];
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === true || value === 'true';
}

/** A pool id shaped like AWS's: `<region>_<9 letters and digits>`, stable for the stack and logical id. */
function poolId(ctx: CognitoPlanContext): string {
  const raw = deterministicId(9, ctx.accountId, ctx.region, ctx.stackName, ctx.logicalId);
  const mixed = [...raw].map((char, index) => (index % 2 === 0 ? char.toUpperCase() : char)).join('');
  return `${ctx.region}_${mixed}`;
}

function passwordPolicy(props: Props, ctx: CognitoPlanContext): PasswordPolicy {
  const policy = ((props.Policies as Props | undefined)?.PasswordPolicy ?? {}) as Props;
  const minimumLength = Number(policy.MinimumLength ?? DEFAULT_PASSWORD_POLICY.minimumLength);
  if (!Number.isInteger(minimumLength) || minimumLength < 6 || minimumLength > 99)
    refuse(ctx, 'Policies.PasswordPolicy.MinimumLength must be 6-99');
  return {
    minimumLength,
    requireLowercase: flag(policy.RequireLowercase, DEFAULT_PASSWORD_POLICY.requireLowercase),
    requireUppercase: flag(policy.RequireUppercase, DEFAULT_PASSWORD_POLICY.requireUppercase),
    requireNumbers: flag(policy.RequireNumbers, DEFAULT_PASSWORD_POLICY.requireNumbers),
    requireSymbols: flag(policy.RequireSymbols, DEFAULT_PASSWORD_POLICY.requireSymbols),
    temporaryPasswordValidityDays: Number(
      policy.TemporaryPasswordValidityDays ?? DEFAULT_PASSWORD_POLICY.temporaryPasswordValidityDays,
    ),
  };
}

/** A validity in seconds from CloudFormation's number and unit, within Cognito's range. */
function validity(
  props: Props,
  key: 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity',
  ctx: CognitoPlanContext,
): number {
  const units = (props.TokenValidityUnits ?? {}) as Props;
  const unitKey = key.replace('Validity', '');
  const defaults = {
    AccessTokenValidity: [1, 'hours'],
    IdTokenValidity: [1, 'hours'],
    RefreshTokenValidity: [30, 'days'],
  } as const;
  const [defaultValue, defaultUnit] = defaults[key];
  const unit = String(
    units[unitKey.charAt(0).toLowerCase() + unitKey.slice(1)] ?? units[unitKey] ?? defaultUnit,
  );
  const perUnit = UNIT_SECONDS[unit];
  if (perUnit === undefined) refuse(ctx, `TokenValidityUnits: unknown unit ${unit}`);
  let amount = Number(props[key] ?? defaultValue);
  if (key === 'RefreshTokenValidity' && amount === 0) amount = (30 * 86_400) / perUnit; // "0 ... overridden to 30 days"
  const seconds = amount * perUnit;
  const [min, max] = key === 'RefreshTokenValidity' ? [3600, 10 * 365 * 86_400] : [300, 86_400];
  if (!Number.isFinite(seconds) || seconds < min || seconds > max)
    refuse(ctx, `${key} must be between ${min} and ${max} seconds (got ${amount} ${unit})`);
  return seconds;
}

export const COGNITO_PLANNERS: Record<string, (props: Props, ctx: CognitoPlanContext) => CognitoPlanned> = {
  'AWS::Cognito::UserPool': (props, ctx) => {
    const id = poolId(ctx);
    const arn = `arn:aws:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${id}`;
    // Fail closed: what would change who may sign in, and the local cloud cannot enforce, is refused.
    if (
      props.MfaConfiguration !== undefined &&
      props.MfaConfiguration !== 'OFF' &&
      props.MfaConfiguration !== 'OPTIONAL'
    )
      refuse(
        ctx,
        `MfaConfiguration ${String(props.MfaConfiguration)} is not emulated by the local cloud (MFA is not checked): use OFF or OPTIONAL locally`,
      );
    const addOns = (props.UserPoolAddOns ?? {}) as Props;
    if (addOns.AdvancedSecurityMode !== undefined && addOns.AdvancedSecurityMode !== 'OFF')
      refuse(
        ctx,
        `UserPoolAddOns.AdvancedSecurityMode ${String(addOns.AdvancedSecurityMode)} (threat protection) is not emulated by the local cloud`,
      );
    const aliases = stringList(props, 'AliasAttributes', ctx) ?? [];
    if (aliases.length > 0)
      refuse(
        ctx,
        `AliasAttributes (${aliases.join(', ')}) are not emulated by the local cloud: use UsernameAttributes [email]`,
      );
    const usernameAttributes = stringList(props, 'UsernameAttributes', ctx) ?? [];
    const unsupportedNames = usernameAttributes.filter((name) => !USERNAME_ATTRIBUTES.includes(name));
    if (unsupportedNames.length > 0)
      refuse(
        ctx,
        `UsernameAttributes ${unsupportedNames.join(', ')}: the local cloud signs users in by user name or email only`,
      );
    const lambdaConfig: Record<string, string> = {};
    for (const [trigger, value] of Object.entries((props.LambdaConfig ?? {}) as Props)) {
      if (!SUPPORTED_TRIGGERS.includes(trigger))
        refuse(
          ctx,
          `LambdaConfig.${trigger} is not run by the local cloud (supported: ${SUPPORTED_TRIGGERS.join(', ')})`,
        );
      if (typeof value !== 'string' || !/^arn:aws:lambda:[^:]+:\d{12}:function:[\w-]+$/.test(value))
        refuse(ctx, `LambdaConfig.${trigger} must be a function ARN`);
      lambdaConfig[trigger] = value;
    }
    const adminOnly = flag(((props.AdminCreateUserConfig ?? {}) as Props).AllowAdminCreateUserOnly, false);
    const schema = (props.Schema ?? []) as Array<{ Name?: unknown; Required?: unknown }>;
    if (!Array.isArray(schema) || schema.some((entry) => typeof entry?.Name !== 'string'))
      refuse(ctx, 'Schema must be a list of attributes with a Name');
    const isStandard = (name: string) => STANDARD_ATTRIBUTES.includes(name);
    const customAttributes = schema
      .map((entry) => String(entry.Name))
      .filter((name) => !isStandard(name))
      .map((name) => (name.startsWith('custom:') ? name : `custom:${name}`));
    const requiredAttributes = schema
      .filter((entry) => flag(entry.Required, false) && isStandard(String(entry.Name)))
      .map((entry) => String(entry.Name));
    const mechanisms = (((props.AccountRecoverySetting ?? {}) as Props).RecoveryMechanisms ?? []) as Array<{
      Name?: unknown;
    }>;
    const selfServiceRecovery = !(
      Array.isArray(mechanisms) &&
      mechanisms.length > 0 &&
      mechanisms.every((mechanism) => mechanism?.Name === 'admin_only')
    );
    const name =
      typeof props.UserPoolName === 'string'
        ? props.UserPoolName
        : generatedName(ctx.stackName, ctx.logicalId, 128);
    return {
      physicalId: id,
      attributes: {
        Arn: arn,
        ProviderName: `cognito-idp.${ctx.region}.amazonaws.com/${id}`,
        ProviderURL: `https://cognito-idp.${ctx.region}.amazonaws.com/${id}`,
        UserPoolId: id,
      },
      plan: {
        kind: 'user-pool',
        id,
        name,
        arn,
        usernameAttributes,
        autoVerifiedAttributes: stringList(props, 'AutoVerifiedAttributes', ctx) ?? [],
        // The API's default when UsernameConfiguration is left out is case-sensitive user names.
        caseSensitive: flag(((props.UsernameConfiguration ?? {}) as Props).CaseSensitive, true),
        passwordPolicy: passwordPolicy(props, ctx),
        lambdaConfig,
        adminCreateUserOnly: adminOnly,
        customAttributes,
        requiredAttributes,
        selfServiceRecovery,
      },
    };
  },
  'AWS::Cognito::UserPoolClient': (props, ctx) => {
    const userPoolId = requiredString(props, 'UserPoolId', ctx);
    const clientId = deterministicId(26, ctx.accountId, ctx.region, ctx.stackName, ctx.logicalId, userPoolId);
    const given = stringList(props, 'ExplicitAuthFlows', ctx);
    let explicitAuthFlows = DEFAULT_FLOWS;
    if (given) {
      const legacy = given.filter((name) => name in LEGACY_FLOWS);
      const unknown = given.filter((name) => !(name in LEGACY_FLOWS) && !ALLOW_FLOWS.includes(name));
      if (unknown.length > 0) refuse(ctx, `ExplicitAuthFlows: unknown ${unknown.join(', ')}`);
      if (legacy.length > 0 && legacy.length < given.length)
        refuse(ctx, 'ExplicitAuthFlows: the legacy names cannot be mixed with ALLOW_* names');
      explicitAuthFlows =
        legacy.length > 0
          ? [
              ...legacy.map((name) => LEGACY_FLOWS[name] as string),
              'ALLOW_REFRESH_TOKEN_AUTH',
              ...(legacy.includes('CUSTOM_AUTH_FLOW_ONLY') ? [] : ['ALLOW_USER_SRP_AUTH']),
            ]
          : given;
    }
    const allowedOAuthFlows = stringList(props, 'AllowedOAuthFlows', ctx) ?? [];
    const generateSecret = flag(props.GenerateSecret, false);
    if (allowedOAuthFlows.includes('client_credentials')) {
      if (allowedOAuthFlows.length > 1)
        refuse(
          ctx,
          'client_credentials flow can not be selected if authorization code or implicit flow is selected.',
        );
      if (!generateSecret)
        refuse(ctx, 'client_credentials flow can not be selected if client does not have a client secret.');
    }
    const prevent = props.PreventUserExistenceErrors ?? 'LEGACY';
    if (prevent !== 'LEGACY' && prevent !== 'ENABLED')
      refuse(ctx, 'PreventUserExistenceErrors must be ENABLED or LEGACY');
    const authSession = Number(props.AuthSessionValidity ?? 3);
    if (!Number.isInteger(authSession) || authSession < 3 || authSession > 15)
      refuse(ctx, 'AuthSessionValidity must be 3-15 minutes');
    const clientSecret = generateSecret ? ctx.clientSecret(clientId) : undefined;
    const clientName = typeof props.ClientName === 'string' ? props.ClientName : ctx.logicalId;
    return {
      physicalId: clientId,
      attributes: {
        ClientId: clientId,
        Name: clientName,
        ...(clientSecret ? { ClientSecret: clientSecret } : {}),
      },
      plan: {
        kind: 'user-pool-client',
        poolId: userPoolId,
        client: {
          clientId,
          clientName,
          clientSecret,
          explicitAuthFlows,
          allowedOAuthFlows,
          allowedOAuthScopes: stringList(props, 'AllowedOAuthScopes', ctx) ?? [],
          allowedOAuthFlowsUserPoolClient: flag(props.AllowedOAuthFlowsUserPoolClient, false),
          accessTokenValiditySeconds: validity(props, 'AccessTokenValidity', ctx),
          idTokenValiditySeconds: validity(props, 'IdTokenValidity', ctx),
          refreshTokenValiditySeconds: validity(props, 'RefreshTokenValidity', ctx),
          preventUserExistenceErrors: prevent,
          enableTokenRevocation: flag(props.EnableTokenRevocation, true),
          authSessionValiditySeconds: authSession * 60,
          writeAttributes: stringList(props, 'WriteAttributes', ctx),
          readAttributes: stringList(props, 'ReadAttributes', ctx),
          described: {
            ...(props.CallbackURLs ? { CallbackURLs: props.CallbackURLs } : {}),
            ...(props.SupportedIdentityProviders
              ? { SupportedIdentityProviders: props.SupportedIdentityProviders }
              : {}),
            ...(props.TokenValidityUnits ? { TokenValidityUnits: props.TokenValidityUnits } : {}),
            ...(props.AccessTokenValidity !== undefined
              ? { AccessTokenValidity: props.AccessTokenValidity }
              : {}),
            ...(props.IdTokenValidity !== undefined ? { IdTokenValidity: props.IdTokenValidity } : {}),
            ...(props.RefreshTokenValidity !== undefined
              ? { RefreshTokenValidity: props.RefreshTokenValidity }
              : {}),
          },
        },
      },
    };
  },
  'AWS::Cognito::UserPoolGroup': (props, ctx) => {
    const groupName =
      typeof props.GroupName === 'string'
        ? props.GroupName
        : generatedName(ctx.stackName, ctx.logicalId, 128);
    const precedence = props.Precedence === undefined ? undefined : Number(props.Precedence);
    return {
      physicalId: groupName,
      attributes: {},
      plan: {
        kind: 'user-pool-group',
        poolId: requiredString(props, 'UserPoolId', ctx),
        group: {
          groupName,
          description: typeof props.Description === 'string' ? props.Description : undefined,
          precedence,
          roleArn: typeof props.RoleArn === 'string' ? props.RoleArn : undefined,
        },
      },
    };
  },
  'AWS::Cognito::UserPoolResourceServer': (props, ctx) => {
    const identifier = requiredString(props, 'Identifier', ctx);
    const scopes = (props.Scopes ?? []) as Array<{ ScopeName?: unknown; ScopeDescription?: unknown }>;
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope?.ScopeName !== 'string'))
      refuse(ctx, 'Scopes must be a list of {ScopeName, ScopeDescription}');
    return {
      physicalId: identifier,
      attributes: {},
      plan: {
        kind: 'user-pool-resource-server',
        poolId: requiredString(props, 'UserPoolId', ctx),
        server: {
          identifier,
          name: requiredString(props, 'Name', ctx),
          scopes: scopes.map((scope) => ({
            ScopeName: String(scope.ScopeName),
            ScopeDescription: String(scope.ScopeDescription ?? ''),
          })),
        },
      },
    };
  },
  'AWS::Cognito::UserPoolDomain': (props, ctx) => {
    const domain = requiredString(props, 'Domain', ctx);
    return {
      physicalId: domain,
      attributes: { CloudFrontDistribution: 'd111111abcdef8.cloudfront.net' },
      plan: { kind: 'user-pool-domain', poolId: requiredString(props, 'UserPoolId', ctx), domain },
    };
  },
};
