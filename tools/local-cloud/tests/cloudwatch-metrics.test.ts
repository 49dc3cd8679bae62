import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { createSignedFetch } from '@sigv4-auth/signed-fetch';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { seededUserKeys } from '../src/identity';
import { identitiesWith } from '../src/testing/identities-file';
import { LocalCloud } from '../src/local-cloud';
import {
  cognitoClient,
  createConfirmedUser,
  passwordTokens,
  refusalOf,
} from '../src/testing/cognito-helpers';
import { deployProbeStack } from '../src/testing/probe-stack';
import { pythonWithBotocore } from '../src/testing/python';
import { deployUserPoolStack, type UserPoolStack } from '../src/testing/user-pool-stack';

// API Gateway's and Cognito's CloudWatch metrics, recorded locally with AWS's names, dimensions and semantics, and read
// with CloudWatch's own clients: the SDK for JavaScript v3 (AWS JSON 1.0) and botocore, the AWS CLI's code (Smithy RPC
// v2 CBOR). Metrics: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// and https://docs.aws.amazon.com/cognito/latest/developerguide/metrics-for-cognito-user-pools.html.
// A user of the partner account allowed every CloudWatch read: it must see its own account's metrics only.
const { file: identitiesFile, keyOf } = identitiesWith([
  {
    name: 'watcher',
    accountId: '111111111111',
    statements: [{ Effect: 'Allow', Action: 'cloudwatch:*', Resource: '*' }],
  },
]);

describe('CloudWatch metrics of the local cloud', () => {
  const PASSWORD = 'Correct-Horse-9';
  let cloud: LocalCloud;
  let api: string;
  let pool: UserPoolStack;
  let cloudwatch: CloudWatchClient;
  const started = new Date(Date.now() - 120_000);
  const window = () => ({ StartTime: started, EndTime: new Date(Date.now() + 120_000) });
  const apiDimensions = [
    { Name: 'ApiName', Value: 'probe' },
    { Name: 'Stage', Value: 'test' },
  ];

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile });
    ({ url: api } = await deployProbeStack(cloud, { authorizationType: 'AWS_IAM' }));
    pool = await deployUserPoolStack(cloud);
    const cognito = cognitoClient(cloud.url);
    await createConfirmedUser(cognito, pool.poolId, 'ada@example.com', PASSWORD);
    cloudwatch = new CloudWatchClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: seededUserKeys('developer'),
      maxAttempts: 1,
    });
    // 3 signed calls (200), 2 unsigned (403), 1 for a stage that does not exist (no API stage to count it for).
    const signed = createSignedFetch({ credentials: seededUserKeys('developer'), region: 'us-east-1' });
    for (let index = 0; index < 3; index++) await (await signed(`${api}/probe`)).arrayBuffer();
    for (let index = 0; index < 2; index++) await (await fetch(`${api}/probe`)).arrayBuffer();
    await (await signed(`${api.replace('/test/', '/no-such-stage/')}/probe`)).arrayBuffer();
    // One sign-in, one wrong password.
    await passwordTokens(cognito, pool.webClientId, 'ada@example.com', PASSWORD);
    await refusalOf(passwordTokens(cognito, pool.webClientId, 'ada@example.com', 'Wrong-Horse-9'));
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it('counts requests and 4XX errors per API and stage: Count is the SampleCount, 4XXError Average the rate', async () => {
    // Act
    const statistics = (MetricName: string) =>
      cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway',
          MetricName,
          Dimensions: apiDimensions,
          Period: 3600,
          Statistics: ['SampleCount', 'Sum', 'Average'],
          ...window(),
        }),
      );
    const count = await statistics('Count');
    const clientErrors = await statistics('4XXError');
    const serverErrors = await statistics('5XXError');

    // Assess
    expect(count.Datapoints).toEqual([expect.objectContaining({ SampleCount: 5, Unit: 'Count' })]);
    expect(count.Datapoints?.[0]?.Timestamp).toBeInstanceOf(Date);
    expect(clientErrors.Datapoints).toEqual([
      expect.objectContaining({ SampleCount: 5, Sum: 2, Average: 0.4 }),
    ]);
    expect(serverErrors.Datapoints).toEqual([expect.objectContaining({ Sum: 0 })]);
  });

  it('records Latency and IntegrationLatency per method and resource, read with GetMetricData', async () => {
    // Act
    const methodDimensions = [
      ...apiDimensions,
      { Name: 'Method', Value: 'GET' },
      { Name: 'Resource', Value: '/{proxy+}' },
    ];
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: ['Count', 'Latency', 'IntegrationLatency'].map((MetricName, index) => ({
          Id: `m${index}`,
          MetricStat: {
            Metric: { Namespace: 'AWS/ApiGateway', MetricName, Dimensions: methodDimensions },
            Period: 3600,
            Stat: MetricName === 'Count' ? 'SampleCount' : 'Maximum',
          },
        })),
        ...window(),
      }),
    );

    // Assess
    expect(MetricDataResults?.map((result) => [result.Id, result.StatusCode, result.Values?.length])).toEqual(
      [
        ['m0', 'Complete', 1],
        ['m1', 'Complete', 1],
        ['m2', 'Complete', 1],
      ],
    );
    expect(MetricDataResults?.[0]?.Values).toEqual([5]);
    // Probe's function answers at once: what the gateway adds is on top of the integration's time.
    expect(MetricDataResults?.[1]?.Values?.[0]).toBeGreaterThan(0);
    expect(MetricDataResults?.[1]?.Values?.[0]).toBeGreaterThanOrEqual(
      MetricDataResults?.[2]?.Values?.[0] as number,
    );
  });

  it('publishes Cognito sign-ins as SignInSuccesses: 1 a success, 0 a failure, per pool and client', async () => {
    // Act
    const { Datapoints } = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Cognito',
        MetricName: 'SignInSuccesses',
        Dimensions: [
          { Name: 'UserPool', Value: pool.poolId },
          { Name: 'UserPoolClient', Value: pool.webClientId },
        ],
        Period: 60 * 60,
        Statistics: ['SampleCount', 'Sum'],
        ...window(),
      }),
    );

    // Assess: failures are SampleCount - Sum, as the Cognito guide says.
    expect(Datapoints).toEqual([expect.objectContaining({ SampleCount: 2, Sum: 1 })]);
  });

  it('lists the series with ListMetrics', async () => {
    // Act
    const { Metrics } = await cloudwatch.send(
      new ListMetricsCommand({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Count',
        Dimensions: [{ Name: 'Method' }],
      }),
    );

    // Assess
    expect(Metrics).toEqual([
      {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Count',
        Dimensions: [
          { Name: 'ApiName', Value: 'probe' },
          { Name: 'Method', Value: 'GET' },
          { Name: 'Resource', Value: '/{proxy+}' },
          { Name: 'Stage', Value: 'test' },
        ],
      },
    ]);
  });

  it('answers the AWS CLI (botocore, Smithy RPC v2 CBOR) with the same numbers, and its errors as it reads them', async () => {
    // Prepare
    const script = [
      'import json, sys, datetime',
      'import botocore.session',
      'from botocore.exceptions import ClientError',
      'url, key, secret = sys.argv[1:4]',
      "client = botocore.session.get_session().create_client('cloudwatch', region_name='us-east-1', endpoint_url=url, aws_access_key_id=key, aws_secret_access_key=secret)",
      'now = datetime.datetime.now(datetime.timezone.utc)',
      'window = dict(StartTime=now - datetime.timedelta(minutes=30), EndTime=now + datetime.timedelta(minutes=5))',
      "answer = client.get_metric_statistics(Namespace='AWS/ApiGateway', MetricName='Count', Dimensions=[{'Name': 'ApiName', 'Value': 'probe'}, {'Name': 'Stage', 'Value': 'test'}], Period=3600, Statistics=['SampleCount'], **window)",
      "points = [{'SampleCount': p['SampleCount'], 'timestamp': isinstance(p['Timestamp'], datetime.datetime)} for p in answer['Datapoints']]",
      'try:',
      "    client.get_metric_statistics(Namespace='AWS/ApiGateway', MetricName='Count', Period=61, Statistics=['Sum'], **window)",
      'except ClientError as error:',
      "    refused = {'code': error.response['Error']['Code'], 'status': error.response['ResponseMetadata']['HTTPStatusCode']}",
      "print(json.dumps({'points': points, 'refused': refused}))",
    ].join('\n');
    const { accessKeyId, secretAccessKey } = seededUserKeys('developer');

    // Act
    const { stdout } = await promisify(execFile)(
      pythonWithBotocore(),
      ['-c', script, cloud.url, accessKeyId, secretAccessKey],
      { encoding: 'utf8' },
    );

    // Assess
    expect(JSON.parse(stdout)).toEqual({
      points: [{ SampleCount: 5, timestamp: true }],
      refused: { code: 'InvalidParameterValue', status: 400 },
    });
  });

  it('refuses metric math, a caller whose policies do not allow it, and an unsigned call', async () => {
    // Act
    const math = await refusalOf(
      cloudwatch.send(
        new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'rate', Expression: 'm1 / m2' }], ...window() }),
      ),
    );
    const partner = new CloudWatchClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: seededUserKeys('partner'),
      maxAttempts: 1,
    });
    const denied = await refusalOf(partner.send(new ListMetricsCommand({})));
    const deniedEntry = cloud.requests.all().at(-1);
    const unsigned = await fetch(cloud.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });

    // Assess
    // The SDK names errors by their shape; botocore by the Query code (above): both as CloudWatch's model has them.
    expect(math).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(math.message).toContain('metric math expressions are not evaluated by the local cloud');
    // Not a modelled error: the SDK takes the Query code from x-amzn-query-error.
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('is not authorized to perform: cloudwatch:ListMetrics on resource: *');
    expect(deniedEntry).toMatchObject({ service: 'cloudwatch', decision: { check: 'iam' } });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('keeps metrics per account: another account, allowed every read, sees none of them', async () => {
    // Arrange
    const watcher = new CloudWatchClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: keyOf('watcher'),
      maxAttempts: 1,
    });

    // Act
    const listed = await watcher.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway' }));
    const count = await watcher.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Count',
        Dimensions: apiDimensions,
        Period: 3600,
        Statistics: ['SampleCount'],
        ...window(),
      }),
    );

    // Assess
    expect(listed.Metrics).toEqual([]);
    expect(count.Datapoints).toEqual([]);
  });

  it('answers a malformed request with a 400 that says what is wrong, never a 500', async () => {
    // Arrange
    const signed = createSignedFetch({
      credentials: seededUserKeys('developer'),
      region: 'us-east-1',
      service: 'monitoring',
    });
    const send = (operation: string, body: unknown) =>
      signed(cloud.url, {
        method: 'POST',
        headers: {
          'x-amz-target': `GraniteServiceVersion20100801.${operation}`,
          'content-type': 'application/x-amz-json-1.0',
        },
        body: JSON.stringify(body),
      });

    // Act
    const answers = await Promise.all([
      send('GetMetricData', { MetricDataQueries: [null], StartTime: 1, EndTime: 2 }),
      send('ListMetrics', { Dimensions: [null] }),
      send('GetMetricStatistics', { Namespace: 'n', MetricName: 'm', Statistics: ['Sum'], Period: 60 }),
      send('PutMetricData', {}),
    ]);
    const bodies = await Promise.all(answers.map(async (answer) => [answer.status, await answer.json()]));

    // Assess
    expect(bodies).toEqual([
      [
        400,
        { __type: 'InvalidParameterValueException', message: 'Each of MetricDataQueries must be an object.' },
      ],
      [
        400,
        { __type: 'InvalidParameterValueException', message: expect.stringContaining('dimension filter') },
      ],
      [400, { __type: 'MissingRequiredParameterException', message: 'The parameter StartTime is required.' }],
      [400, { __type: 'UnknownOperationException', message: expect.stringContaining('not PutMetricData') }],
    ]);
  });
});
