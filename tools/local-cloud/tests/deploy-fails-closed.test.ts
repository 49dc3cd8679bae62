import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { deployWithSources, probeStackTemplate } from '../src/testing/probe-stack';

/** Deploys the template into a local cloud of its own and returns what the local cloud logged. */
async function deployLogged(
  stackName: string,
  template: ReturnType<typeof probeStackTemplate>,
): Promise<string[]> {
  const logs: string[] = [];
  const logging = await LocalCloud.start({
    port: 0,
    identitiesFile: LOCAL_IDENTITIES_FILE,
    log: (line) => logs.push(line),
  });
  try {
    await deployWithSources(logging, stackName, template, {
      'probe.zip': 'exports.handler = async () => ({})',
    });
  } finally {
    await logging.stop();
  }
  return logs;
}

// Fail closed: a template setting that narrows who may do what, which the local cloud does not enforce, is refused at
// deploy with a message that names it and says what to do; it is never ignored (that would allow locally what AWS
// refuses). Settings it does enforce, and types with no local meaning ("skipped, with the reason"), deploy.
describe('deploys refuse what the local cloud cannot enforce', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: LOCAL_IDENTITIES_FILE });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('refuses a role with a permissions boundary it cannot enforce, instead of ignoring it', async () => {
    // Prepare
    const template = probeStackTemplate({ stackName: 'bounded' });
    const role = template.Resources.ProbeRole as { Properties: Record<string, unknown> };
    role.Properties.PermissionsBoundary = 'arn:aws:iam::000000000000:policy/boundary';

    // Act
    const deploy = deployWithSources(cloud, 'bounded', template, {
      'probe.zip': 'exports.handler = async () => ({})',
    });

    // Assess
    await expect(deploy).rejects.toThrow('ProbeRole: PermissionsBoundary is not enforced by the local cloud');
  });

  // Settings that narrow who may call but that the local cloud does not enforce are refused, never ignored.
  it.each([
    [
      'Api',
      'DisableExecuteApiEndpoint',
      true,
      'Api: DisableExecuteApiEndpoint is not enforced by the local cloud',
    ],
    [
      'ProbeLambdaPermissionApiGateway',
      'PrincipalOrgID',
      'o-abc123',
      'ProbeLambdaPermissionApiGateway: PrincipalOrgID is not enforced by the local cloud',
    ],
  ])('refuses %s.%s, which it cannot enforce', async (logicalId, property, value, message) => {
    // Prepare
    const template = probeStackTemplate({ stackName: 'unenforced' });
    const resource = template.Resources[logicalId] as { Properties: Record<string, unknown> };
    resource.Properties[property] = value;

    // Act
    const deploy = deployWithSources(cloud, 'unenforced', template, {
      'probe.zip': 'exports.handler = async () => ({})',
    });

    // Assess
    await expect(deploy).rejects.toThrow(message);
  });

  // A stage's throttles and caches only ever make AWS refuse or short-cut more, so they deploy, and the log says they
  // are not applied (AWS::ApiGateway::Stage MethodSettings: docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
  // aws-properties-apigateway-stage-methodsetting.html).
  it('deploys a stage with throttling and caching, and says in the log that neither is applied', async () => {
    // Prepare
    const template = probeStackTemplate({ stackName: 'throttled' });
    template.Resources.ApiStageSettings = {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Api' },
        StageName: 'settings',
        DeploymentId: { Ref: 'Deployment' },
        CacheClusterEnabled: true,
        MethodSettings: [
          { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 },
        ],
      },
    };

    // Act
    const logs = await deployLogged('throttled', template);

    // Assess
    expect(logs).toEqual(
      expect.arrayContaining([
        'throttled: ApiStageSettings (AWS::ApiGateway::Stage) deployed without MethodSettings throttling (stage and method throttles are not applied; usage plans are)',
        'throttled: ApiStageSettings (AWS::ApiGateway::Stage) deployed without response caching (every request reaches the integration)',
      ]),
    );
  });

  // Monitoring (infra/serverless/api-monitoring.yml) controls no access: the alarms, the dashboard, the access log
  // group and its metric filter deploy as skipped, each with where its data is locally.
  it('deploys the API monitoring resources as skipped, each with the reason', async () => {
    // Prepare
    const template = probeStackTemplate({ stackName: 'monitored' });
    Object.assign(template.Resources, {
      ApiGatewayLogGroup: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/api-gateway/probe-test', RetentionInDays: 14 },
      },
      LatencyFilter: {
        Type: 'AWS::Logs::MetricFilter',
        DependsOn: 'ApiGatewayLogGroup',
        Properties: {
          LogGroupName: '/aws/api-gateway/probe-test',
          FilterPattern: '{ $.authorizerLatency = * }',
          MetricTransformations: [
            {
              MetricNamespace: 'probe/test',
              MetricName: 'AuthorizerLatency',
              MetricValue: '$.authorizerLatency',
            },
          ],
        },
      },
      LatencyAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'probe-latency',
          Namespace: 'probe/test',
          MetricName: 'AuthorizerLatency',
          ExtendedStatistic: 'p99',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1000,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      },
    });

    // Act
    const logs = await deployLogged('monitored', template);

    // Assess
    expect(logs).toEqual(
      expect.arrayContaining([
        "monitored: skipped ApiGatewayLogGroup (AWS::Logs::LogGroup): API Gateway's access logs are in logs/access.jsonl and GET /_local/requests, each request with its decision",
        'monitored: skipped LatencyFilter (AWS::Logs::MetricFilter): metric filters are not applied locally (no CloudWatch Logs); the values they read, such as authorizerLatencyMs, are in logs/access.jsonl and GET /_local/requests',
        'monitored: skipped LatencyAlarm (AWS::CloudWatch::Alarm): alarms are not evaluated locally; read their metric with aws cloudwatch get-metric-statistics',
      ]),
    );
  });
});
