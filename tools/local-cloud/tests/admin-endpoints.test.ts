import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signRequest, type AwsCredentialIdentity } from '@sigv4-auth/signed-fetch';
import { strToU8, zipSync } from 'fflate';
import { ADMIN_TOKEN_HEADER } from '../src/admin';
import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { probeStackTemplate } from '../src/testing/probe-stack';
import { assumeRoleCredentials } from '../src/testing/raw-clients';

// The local cloud's own endpoints: a security review deleted a folder outside the state directory with
// `stackName: "../../../victim"`, read files through `templateFile` (their first bytes came back in the error)
// and joined a `FunctionName` into a path. Mutating endpoints now need the per-start token; names follow
// CloudFormation's, Lambda's and IAM's patterns; file contents never appear in an answer; and the deploying
// principal needs iam:PassRole on every function role, as on AWS.
const DEVELOPER = seededUserKeys('developer');

describe('the /_local endpoints', () => {
  let cloud: LocalCloud;
  let root: string;
  let stateDir: string;
  let artifactsDir: string;
  let templateFile: string;

  const headers = (extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    [ADMIN_TOKEN_HEADER]: cloud.adminToken.value,
    ...extra,
  });

  function writeTemplate(name: string, template: unknown): string {
    const file = path.join(artifactsDir, name);
    writeFileSync(file, JSON.stringify(template));
    return file;
  }

  async function deploy(body: Record<string, unknown>, extraHeaders?: Record<string, string>) {
    const response = await fetch(`${cloud.url}/_local/deploy`, {
      method: 'POST',
      headers: extraHeaders ?? headers(),
      body: JSON.stringify({ artifactsDir, templateFile, ...body }),
    });
    return { status: response.status, text: await response.text() };
  }

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'admin-'));
    stateDir = path.join(root, 'state');
    artifactsDir = path.join(root, 'artifacts');
    mkdirSync(artifactsDir);
    writeFileSync(
      path.join(artifactsDir, 'probe.zip'),
      zipSync({ 'index.js': strToU8('exports.handler = async () => ({ statusCode: 200, body: "ok" });') }),
    );
    templateFile = writeTemplate('template.json', probeStackTemplate({ stackName: 'probe' }));
    cloud = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a per-start token next to the credentials, readable by the owner only', () => {
    // Assess
    const file = path.join(stateDir, 'admin-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(cloud.adminToken.value);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(cloud.adminToken.value).toMatch(/^[\w-]{43}$/);
  });

  it.each([
    ['POST', '/_local/deploy'],
    ['POST', '/_local/faults'],
    ['DELETE', '/_local/faults'],
    ['DELETE', '/_local/stacks/probe'],
  ])('refuses %s %s without the token, or with a wrong one', async (method, route) => {
    // Act
    const without = await fetch(`${cloud.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined,
    });
    const wrong = await fetch(`${cloud.url}${route}`, {
      method,
      headers: headers({ [ADMIN_TOKEN_HEADER]: `${cloud.adminToken.value.slice(0, -1)}x` }),
      body: method === 'POST' ? '{}' : undefined,
    });

    // Assess
    expect(without.status).toBe(403);
    expect(((await without.json()) as { message: string }).message).toContain(ADMIN_TOKEN_HEADER);
    expect(wrong.status).toBe(403);
  });

  it('deploys with the token', async () => {
    // Act
    const response = await deploy({ stackName: 'probe' });

    // Assess
    expect(response.status).toBe(200);
  });

  it.each(['../../../victim', '../victim', 'a/b', '-probe', '1probe', 'probe_1', 'p'.repeat(129), ''])(
    'refuses the stack name %j and touches nothing outside the state folder',
    async (stackName) => {
      // Arrange: what the review deleted.
      const victim = path.join(root, 'victim');
      mkdirSync(victim, { recursive: true });
      writeFileSync(path.join(victim, 'keep.txt'), 'data');

      // Act
      const deployed = await deploy({ stackName });
      const removed = await fetch(`${cloud.url}/_local/stacks/${encodeURIComponent(stackName)}`, {
        method: 'DELETE',
        headers: headers(),
      });

      // Assess
      expect(deployed.status).toBe(400);
      expect(removed.status).toBeGreaterThanOrEqual(400);
      expect(removed.status).toBeLessThan(500);
      expect(existsSync(path.join(victim, 'keep.txt'))).toBe(true);
    },
  );

  it('never echoes a file it was pointed at', async () => {
    // Arrange
    const secretJson = path.join(root, 'secret.json');
    writeFileSync(secretJson, 'SECRET-CONTENT-1234 not json');
    const secretText = path.join(root, 'secret.txt');
    writeFileSync(secretText, '{"SECRET-CONTENT-5678": 1}');

    // Act
    const notJson = await deploy({ stackName: 'probe', templateFile: secretJson });
    const notTemplate = await deploy({ stackName: 'probe', templateFile: secretText });
    const passwd = await deploy({ stackName: 'probe', templateFile: '/etc/passwd' });

    // Assess
    for (const response of [notJson, notTemplate, passwd]) {
      expect(response.status).toBe(400);
      expect(response.text).not.toContain('SECRET-CONTENT');
      expect(response.text).not.toContain('root:');
    }
  });

  it.each([
    ['a FunctionName that is a path', { FunctionName: '../../escape' }, /FunctionName .* is invalid/],
    ['a FunctionName over 64 characters', { FunctionName: 'f'.repeat(65) }, /FunctionName .* is invalid/],
    [
      'a reserved Lambda variable (it would replace the role credentials)',
      { Environment: { Variables: { AWS_ACCESS_KEY_ID: 'AKIAOTHER', LAMBDA_TASK_ROOT: '/' } } },
      /reserved keys .* Reserved keys used in this request: AWS_ACCESS_KEY_ID, LAMBDA_TASK_ROOT/,
    ],
    [
      'NODE_OPTIONS that would widen the permission model',
      { Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps --allow-fs-read=*' } } },
      /NODE_OPTIONS --allow-fs-read=\* would change node's permission model/,
    ],
  ])('refuses %s', async (_, properties, message) => {
    // Arrange
    const template = probeStackTemplate({ stackName: 'names' }) as unknown as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    Object.assign(template.Resources.ProbeFunction!.Properties, properties);

    // Act
    const response = await deploy({
      stackName: 'names',
      templateFile: writeTemplate('names.json', template),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toMatch(message);
    expect(existsSync(path.join(root, 'escape'))).toBe(false);
  });

  it.each([100, 43_201, 3600.5, 'x'])('refuses a role whose MaxSessionDuration is %j', async (value) => {
    // Arrange: IAM allows 3600-43200 seconds.
    const template = probeStackTemplate({ stackName: 'names' }) as unknown as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    template.Resources.ProbeRole!.Properties.MaxSessionDuration = value;

    // Act
    const response = await deploy({
      stackName: 'names',
      templateFile: writeTemplate('names.json', template),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toMatch(/MaxSessionDuration .* is invalid/);
  });

  describe('the deploying principal and the names it may take', () => {
    async function signedDeploy(credentials: AwsCredentialIdentity, stackName = 'passrole') {
      const ownTemplate = writeTemplate(`${stackName}.json`, probeStackTemplate({ stackName }));
      const body = JSON.stringify({ stackName, templateFile: ownTemplate, artifactsDir });
      const url = new URL(`${cloud.url}/_local/deploy`);
      const signed = await signRequest(
        {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: new TextEncoder().encode(body),
        },
        credentials,
        { region: 'us-east-1', service: 'cloudformation' },
        { signingDate: cloud.clock.now() },
      );
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          ...signed,
          'content-type': 'application/json',
          [ADMIN_TOKEN_HEADER]: cloud.adminToken.value,
        },
        body,
      });
      return { status: response.status, message: ((await response.json()) as { message?: string }).message };
    }

    it('refuses a deploy signed by a role that may create nothing', async () => {
      // Arrange: customer-reader may only invoke GET /customers/*.
      const session = await assumeRoleCredentials(
        cloud,
        'arn:aws:iam::000000000000:role/customer-reader',
        'deployer',
      );

      // Act
      const response = await signedDeploy(session);

      // Assess
      expect(response.status).toBe(400);
      expect(response.message).toMatch(
        /User: arn:aws:sts::000000000000:assumed-role\/customer-reader\/deployer is not authorized to perform: (iam:CreateRole|apigateway:POST) on resource: /,
      );
      expect(cloud.stacks().some((stack) => stack.stackName === 'passrole')).toBe(false);
    });

    it('refuses a deployer that may create the stack’s resources but not pass its role to Lambda', async () => {
      // Arrange: a role allowed everything a deploy creates, but not iam:PassRole.
      await cloud.deploy({
        stackName: 'deployer-role',
        artifactsDir,
        template: {
          Resources: {
            Deployer: {
              Type: 'AWS::IAM::Role',
              Properties: {
                RoleName: 'deployer-without-passrole',
                AssumeRolePolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
                      Action: 'sts:AssumeRole',
                    },
                  ],
                },
                Policies: [
                  {
                    PolicyName: 'create',
                    PolicyDocument: {
                      Version: '2012-10-17',
                      Statement: [
                        {
                          Effect: 'Allow',
                          Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'lambda:*', 'apigateway:*'],
                          Resource: '*',
                        },
                      ],
                    },
                  },
                ],
              },
            },
          },
        } as never,
      });
      const session = await assumeRoleCredentials(
        cloud,
        'arn:aws:iam::000000000000:role/deployer-without-passrole',
      );

      // Act
      const response = await signedDeploy(session);

      // Assess
      expect(response.status).toBe(400);
      expect(response.message).toMatch(
        /is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/passrole-ProbeRole-/,
      );
    });

    it('deploys when signed by the developer (admin)', async () => {
      // Act
      const response = await signedDeploy(DEVELOPER);

      // Assess
      expect(response.status).toBe(200);
    });

    it.each([
      [
        'a seeded role',
        { ProbeRole: { RoleName: 'customer-reader' } },
        /Role with name customer-reader already exists \(a seeded identity\)/,
      ],
      [
        'another stack’s function',
        { ProbeFunction: { FunctionName: 'probe-fn' } },
        /Function already exist: probe-fn \(stack probe\)/,
      ],
    ])('refuses to take over %s', async (_, overrides, message) => {
      // Arrange: stack "probe" (deployed above) owns function probe-fn.
      const template = probeStackTemplate({ stackName: 'taker' }) as unknown as {
        Resources: Record<string, { Properties: Record<string, unknown> }>;
      };
      for (const [logicalId, properties] of Object.entries(overrides))
        Object.assign(template.Resources[logicalId]!.Properties, properties);

      // Act
      const response = await deploy({
        stackName: 'taker',
        templateFile: writeTemplate('taker.json', template),
      });

      // Assess
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).message).toMatch(message);
      expect(
        cloud.identities.role('arn:aws:iam::000000000000:role/customer-reader')?.stackName,
      ).toBeUndefined();
    });

    it('refuses a table another stack owns', async () => {
      // Arrange
      const table = (stackName: string) =>
        ({
          Resources: {
            Orders: {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                TableName: 'shared-orders',
                AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
                KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
                BillingMode: 'PAY_PER_REQUEST',
              },
            },
          },
          Description: stackName,
        }) as never;
      await cloud.deploy({ stackName: 'owner', template: table('owner'), artifactsDir });

      // Act
      const taken = cloud.deploy({ stackName: 'other', template: table('other'), artifactsDir });

      // Assess
      await expect(taken).rejects.toThrow('shared-orders already exists in stack owner');
    });
  });
});
