import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface PackagedTemplate {
  file: string;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/**
 * The template `serverless package` wrote for a service (`nx test` runs the `package` target first).
 * Fails with the command to run when there is none.
 */
export function readPackagedTemplate(serviceDir: string): PackagedTemplate {
  const file = path.join(serviceDir, '.serverless', 'cloudformation-template-update-stack.json');
  if (!existsSync(file)) {
    throw new Error(`${file} does not exist: run \`npx nx package ${path.basename(serviceDir)}\` first`);
  }
  return { file, ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<PackagedTemplate, 'file'>) };
}

export function resourcesOfType(template: PackagedTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * A CloudFormation value written as text, intrinsics kept visible: `Fn::Join` is joined, `Ref` becomes
 * `${Name}`, `Fn::ImportValue` becomes `${Import:<name>}`, `Fn::GetAtt` `${Res.Attr}`, `Fn::Sub` its template.
 */
export function cfnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [[fn, args]] = Object.entries(value) as Array<[string, unknown]> as [[string, unknown]];
    if (fn === 'Ref') return `\${${String(args)}}`;
    if (fn === 'Fn::ImportValue') return `\${Import:${cfnText(args)}}`;
    if (fn === 'Fn::GetAtt') return `\${${(args as string[]).join('.')}}`;
    if (fn === 'Fn::Sub') return cfnText(Array.isArray(args) ? args[0] : args);
    if (fn === 'Fn::Join') {
      const [separator, parts] = args as [string, unknown[]];
      return parts.map(cfnText).join(separator);
    }
  }
  throw new Error(`cfnText cannot read ${JSON.stringify(value)}`);
}

/** `cfn-lint` (CloudFormation's linter, Python) on template files; `available` false when it is not installed. */
export function cfnLint(files: string[]): { available: boolean; status: number | null; output: string } {
  const run = spawnSync('cfn-lint', ['--', ...files], { encoding: 'utf8' });
  if (run.error) return { available: false, status: null, output: String(run.error) };
  return { available: true, status: run.status, output: `${run.stdout}${run.stderr}` };
}

export interface IamStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

interface InlinePolicy {
  PolicyDocument: { Statement: IamStatement[] };
}

/** Every statement of every inline policy of every IAM role in the template. */
export function roleStatements(template: PackagedTemplate): IamStatement[] {
  return resourcesOfType(template, 'AWS::IAM::Role').flatMap(([, role]) =>
    ((role.Properties?.Policies ?? []) as InlinePolicy[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    ),
  );
}

/** The actions of a statement as a list. */
export function actionsOf(statement: IamStatement): string[] {
  return statement.Action === undefined ? [] : [statement.Action].flat();
}

/** A statement as `[Effect, actions, resources as text]`, for expectations a reader can check at a glance. */
export type StatementSummary = [string, string[], string[]];

export function statementSummary(statement: IamStatement): StatementSummary {
  return [statement.Effect, actionsOf(statement), [statement.Resource].flat().map(cfnText)];
}

export interface FunctionRole {
  /** The role's logical id. */
  role: string;
  /** Its managed policies (`ManagedPolicyArns`): none, for a role whose statements are all in the template. */
  managedPolicies: unknown[];
  /** The statements of its inline policies, the log-writing one aside. */
  statements: StatementSummary[];
  /** The resources of its `logs:*` statements, as text. */
  logs: string[];
}

/**
 * Each function's role (by the function's logical id) and what it may do: the statements of the role's inline
 * policies, with the ones that only write logs set apart.
 */
export function functionRoles(template: PackagedTemplate): Record<string, FunctionRole> {
  return Object.fromEntries(
    resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId, fn]) => {
      const [role] = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      const properties = template.Resources[role]?.Properties ?? {};
      const policies = (properties.Policies ?? []) as InlinePolicy[];
      const statements = policies.flatMap((policy) => policy.PolicyDocument.Statement);
      const isLogs = (statement: IamStatement) => {
        const actions = actionsOf(statement);
        return actions.length > 0 && actions.every((action) => action.startsWith('logs:'));
      };
      return [
        logicalId,
        {
          role,
          managedPolicies: (properties.ManagedPolicyArns ?? []) as unknown[],
          statements: statements.filter((statement) => !isLogs(statement)).map(statementSummary),
          logs: statements.filter(isLogs).flatMap((statement) => statementSummary(statement)[2]),
        },
      ];
    }),
  );
}

/**
 * What keeps each function's role from being its own, as messages (none: every function has its own role): a role
 * two functions share, managed policies, policies attached apart from the role (`AWS::IAM::Policy`), and log
 * permissions beyond the function's own log group.
 */
export function roleIsolationProblems(template: PackagedTemplate): string[] {
  const problems: string[] = [];
  const roles = functionRoles(template);
  const users = new Map<string, string[]>();
  for (const [fn, role] of Object.entries(roles)) users.set(role.role, [...(users.get(role.role) ?? []), fn]);
  for (const [role, fns] of users)
    if (fns.length > 1) problems.push(`${role} is shared by ${fns.join(', ')}`);
  for (const [fn, role] of Object.entries(roles)) {
    if (role.managedPolicies.length > 0) problems.push(`${role.role} (${fn}) has managed policies`);
    const name = cfnText(template.Resources[fn]?.Properties?.FunctionName);
    const own = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${name}:*:*`;
    for (const logs of role.logs)
      if (logs !== own) problems.push(`${role.role} (${fn}) may write logs to ${logs}, not only ${own}`);
  }
  for (const [policy] of resourcesOfType(template, 'AWS::IAM::Policy'))
    problems.push(`${policy}: an AWS::IAM::Policy attached apart from the roles`);
  return problems;
}

/** An alarm as a line: `<metric> <statistic> > <threshold> over <n> of <m> x <period>s on <dimensions>`. */
export interface ApiMonitoring {
  alarms: string[];
  /** The dashboard's metrics, `<namespace> <metric> <dimension values...>`, from its JSON body. */
  /** Each metric filter: log group, pattern -> namespace, metric = value, unit. */
  metricFilters: string[];
  dashboardMetrics: string[];
  /** The alarm names the dashboard's alarm widget shows. */
  dashboardAlarms: string[];
}

/**
 * The template's CloudWatch alarms and dashboard in a comparable form (infra/serverless/api-monitoring.yml). The
 * dashboard body is `Fn::Sub` of JSON: parsed with the pseudo parameters filled in, so broken JSON fails the test.
 */
export function apiMonitoringOf(template: PackagedTemplate): ApiMonitoring {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, { Properties: p = {} }]) => {
    const dimensions = ((p.Dimensions ?? []) as Array<{ Name: string; Value: string }>)
      .map((d) => `${d.Name}=${d.Value}`)
      .join(',');
    return `${p.Namespace} ${p.MetricName} ${String(p.Statistic ?? p.ExtendedStatistic)} ${p.ComparisonOperator} ${p.Threshold} over ${p.DatapointsToAlarm} of ${p.EvaluationPeriods} x ${p.Period}s on ${dimensions || '-'}`;
  });
  const metricFilters = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(
    ([, { Properties: p = {} }]) => {
      const [transformation = {}] = p.MetricTransformations as Array<Record<string, string>>;
      return `${String(p.LogGroupName)} ${String(p.FilterPattern)} -> ${transformation.MetricNamespace} ${transformation.MetricName} = ${transformation.MetricValue} ${transformation.Unit}`;
    },
  );
  const [[, dashboard] = []] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
  const source =
    (dashboard?.Properties?.DashboardBody as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'] ?? '{}';
  const body = JSON.parse(
    source.replaceAll('${AWS::Region}', 'us-east-1').replaceAll('${AWS::AccountId}', '123456789012'),
  ) as { widgets?: Array<{ type: string; properties: { metrics?: unknown[][]; alarms?: string[] } }> };
  const dashboardMetrics: string[] = [];
  for (const widget of body.widgets ?? []) {
    let previous: unknown[] = [];
    for (const metric of widget.properties.metrics ?? []) {
      // "." repeats the previous row's value at that place, "..." all the previous row's dimensions.
      const row = metric[0] === '...' ? [...previous.slice(0, -1), ...metric.slice(1)] : metric;
      const filled = row
        .map((part, index) => (part === '.' ? previous[index] : part))
        .filter((p) => typeof p === 'string');
      dashboardMetrics.push(filled.join(' '));
      previous = [...filled, {}];
    }
  }
  return {
    alarms: alarms.sort(),
    metricFilters,
    dashboardMetrics,
    dashboardAlarms:
      body.widgets
        ?.flatMap((widget) => widget.properties.alarms ?? [])
        .map((arn) => arn.slice(arn.lastIndexOf(':') + 1)) ?? [],
  };
}

/**
 * What infra/serverless/api-monitoring.yml gives the API `apiName` on `stage`, in `apiMonitoringOf`'s form: every
 * service that includes it is expected to deploy exactly this.
 */
export function sharedApiMonitoring(apiName: string, stage: string): ApiMonitoring {
  const service = apiName.slice(stage.length + 1);
  const on = `on ApiName=${apiName},Stage=${stage}`;
  const metric = (name: string) => `AWS/ApiGateway ${name} ApiName ${apiName} Stage ${stage}`;
  return {
    alarms: [
      `AWS/ApiGateway 4XXError Average GreaterThanThreshold 0.1 over 2 of 3 x 300s ${on}`,
      `AWS/ApiGateway 5XXError Average GreaterThanThreshold 0.01 over 2 of 3 x 300s ${on}`,
      `${service}/${stage} AuthorizerLatency p99 GreaterThanThreshold 1000 over 2 of 3 x 300s on -`,
    ],
    metricFilters: [
      `/aws/api-gateway/${service}-${stage} { $.authorizerLatency = * && $.authorizerLatency != "-" } -> ${service}/${stage} AuthorizerLatency = $.authorizerLatency Milliseconds`,
    ],
    dashboardMetrics: [
      ...['Count', '4XXError', '5XXError', 'Latency', 'Latency', 'IntegrationLatency'].map(metric),
      `${service}/${stage} AuthorizerLatency`,
      `${service}/${stage} AuthorizerLatency`,
    ],
    dashboardAlarms: [`${apiName}-4xx-rate`, `${apiName}-5xx-rate`, `${apiName}-authorizer-latency`],
  };
}

/** `provider.logs.restApi` as Serverless resolved it (`.serverless/serverless-state.json`), applied after deploy. */
export interface RestApiLogSettings {
  accessLogging?: boolean;
  executionLogging?: boolean;
  roleManagedExternally?: boolean;
  format?: string;
}

/**
 * The REST API's log settings, which Serverless sets on the stage with the API Gateway API after the stack is
 * deployed (so they are not in the template): read from the state `serverless package` writes beside it.
 */
export function restApiLogSettings(serviceDir: string): RestApiLogSettings | undefined {
  const file = path.join(serviceDir, '.serverless', 'serverless-state.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as {
    service: { provider: { logs?: { restApi?: RestApiLogSettings } } };
  };
  return state.service.provider.logs?.restApi;
}

export interface AccessLogging {
  /** The log group Serverless creates for the API's access logs, and its retention. */
  logGroup: string;
  retentionInDays: unknown;
  settings: Omit<RestApiLogSettings, 'format'>;
  /** The format's JSON fields, each with the `$context` variable it logs. */
  fields: Record<string, string>;
}

/** The API's access logging: the log group from the template, the stage settings Serverless applies after deploy. */
export function accessLoggingOf(serviceDir: string, template: PackagedTemplate): AccessLogging {
  const { format = '', ...settings } = restApiLogSettings(serviceDir) ?? {};
  const group = template.Resources.ApiGatewayLogGroup?.Properties ?? {};
  return {
    logGroup: String(group.LogGroupName),
    retentionInDays: group.RetentionInDays,
    settings,
    fields: JSON.parse(format) as Record<string, string>,
  };
}

/**
 * What infra/serverless/access-log.yml gives `service` on `stage` (compare with `toMatchObject`: the format may log
 * more fields than these): JSON lines in /aws/api-gateway/<service>-<stage>
 * with at least who called, why a request was refused, its status and its latencies (the variables' meaning:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html).
 */
export function sharedAccessLogging(service: string, stage: string): AccessLogging {
  return {
    logGroup: `/aws/api-gateway/${service}-${stage}`,
    retentionInDays: 14,
    settings: { accessLogging: true, executionLogging: false, roleManagedExternally: true },
    fields: {
      requestId: '$context.requestId',
      status: '$context.status',
      caller: '$context.identity.caller',
      userArn: '$context.identity.userArn',
      cognitoSub: '$context.authorizer.claims.sub',
      principalId: '$context.authorizer.principalId',
      apiKeyId: '$context.identity.apiKeyId',
      authorizerStatus: '$context.authorizer.status',
      authorizerError: '$context.authorizer.error',
      authorizerLatency: '$context.authorizer.latency',
      errorMessage: '$context.error.message',
      errorType: '$context.error.responseType',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
    },
  };
}
