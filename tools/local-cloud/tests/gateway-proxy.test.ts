import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { CloudFormationTemplate } from '../src/cloudformation/template';
import { LocalCloud } from '../src/local-cloud';

const IDENTITIES = path.resolve(__dirname, '../../../infra/local/identities.json');

/** A function that misbehaves on purpose, chosen by the last path segment. */
const HANDLER = `
exports.handler = async (event) => {
  const mode = event.path.split('/').pop();
  if (mode === 'slow') return new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'late' }), 5000));
  if (mode === 'malformed') return { statusCode: 'not-a-number', body: { not: 'a string' } };
  if (mode === 'throws') throw new Error('boom');
  if (mode === 'binary') return { statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 255, 1, 254]).toString('base64') };
  return { statusCode: 200, body: JSON.stringify({ bytes: event.body === null ? 0 : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').length }) };
};
`;

/** The shape `serverless package` writes for one `http` event with `{proxy+}`, authorization NONE. */
function fixtureTemplate(): CloudFormationTemplate {
  const uri = {
    'Fn::Join': [
      '',
      [
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/',
        { 'Fn::GetAtt': ['ProbeFunction', 'Arn'] },
        '/invocations',
      ],
    ],
  };
  return {
    Resources: {
      ProbeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: ['lambda.amazonaws.com'] },
                Action: ['sts:AssumeRole'],
              },
            ],
          },
        },
      },
      ProbeFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'probe',
          Handler: 'index.handler',
          Runtime: 'nodejs22.x',
          Timeout: 1,
          Code: { S3Bucket: 'unused', S3Key: 'probe.zip' },
          Role: { 'Fn::GetAtt': ['ProbeRole', 'Arn'] },
        },
      },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'probe', BinaryMediaTypes: ['*/*'] } },
      ProxyResource: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          PathPart: '{proxy+}',
          RestApiId: { Ref: 'Api' },
        },
      },
      ProxyMethod: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'ANY',
          AuthorizationType: 'NONE',
          ResourceId: { Ref: 'ProxyResource' },
          RestApiId: { Ref: 'Api' },
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: uri },
        },
      },
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { RestApiId: { Ref: 'Api' }, StageName: 'test' },
        DependsOn: ['ProxyMethod'],
      },
    },
    Outputs: {
      Url: {
        Value: {
          'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.us-east-1.amazonaws.com/test']],
        },
      },
    },
  } as unknown as CloudFormationTemplate;
}

// Lambda proxy integration results and limits, as API Gateway maps them:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (10 MB payload, 29 s integration)
describe('API Gateway proxy integration on the local cloud', () => {
  let cloud: LocalCloud;
  let url: string;
  let artifactsDir: string;

  beforeAll(async () => {
    artifactsDir = mkdtempSync(path.join(tmpdir(), 'probe-'));
    writeFileSync(path.join(artifactsDir, 'probe.zip'), zipSync({ 'index.js': strToU8(HANDLER) }));
    cloud = await LocalCloud.start({ port: 0, identitiesFile: IDENTITIES });
    const stack = await cloud.deploy({ stackName: 'probe', template: fixtureTemplate(), artifactsDir });
    url = stack.outputs.find((output) => output.key === 'Url')?.value as string;
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(artifactsDir, { recursive: true, force: true });
  });

  it('passes a body through and answers with the function result', async () => {
    // Act
    const response = await fetch(`${url}/echo`, { method: 'POST', body: 'x'.repeat(1000) });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 1000 });
  });

  it('returns binary bodies byte for byte when the result is base64-encoded', async () => {
    // Act
    const response = await fetch(`${url}/binary`, { headers: { accept: 'application/octet-stream' } });

    // Assess
    expect(response.status).toBe(200);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 255, 1, 254]);
  });

  it('answers 413 to a body over 10 MB', async () => {
    // Act
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      body: new Uint8Array(10 * 1024 * 1024 + 1),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('answers 502 Internal server error to a malformed proxy result', async () => {
    // Act
    const response = await fetch(`${url}/malformed`);

    // Assess
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers 502 when the function throws', async () => {
    // Act
    const response = await fetch(`${url}/throws`);

    // Assess
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers 504 when the function runs past its timeout, and serves the next request', async () => {
    // Act
    const slow = await fetch(`${url}/slow`);
    const next = await fetch(`${url}/echo`, { method: 'POST', body: 'ok' });

    // Assess
    expect(slow.status).toBe(504);
    expect(await slow.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(next.status).toBe(200);
  }, 20_000);
});
