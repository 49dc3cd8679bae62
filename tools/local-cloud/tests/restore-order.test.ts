import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CloudFormationTemplate } from '../src/cloudformation/template';
import { LOCAL_IDENTITIES_FILE } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';

// In disk mode a restart redeploys every stack. A stack that imports another's export (Fn::ImportValue) can only be
// created after it: "you can't create a stack that imports an output value until the exporting stack exists"
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html). A newcomer who
// redeployed customer-service alone got "could not restore stack order-service-local: No export named ..." next time.
const table = (name: unknown) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  },
});
const exporter: CloudFormationTemplate = {
  Resources: { Base: table('base') },
  Outputs: { BaseName: { Value: { Ref: 'Base' }, Export: { Name: 'base-name' } } },
} as unknown as CloudFormationTemplate;
const importer: CloudFormationTemplate = {
  Resources: { Copy: table({ 'Fn::Join': ['-', [{ 'Fn::ImportValue': 'base-name' }, 'copy']] }) },
} as unknown as CloudFormationTemplate;

describe('restoring stacks after a restart (disk mode)', () => {
  let stateDir: string;
  let artifactsDir: string;

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'restore-order-'));
    artifactsDir = mkdtempSync(path.join(tmpdir(), 'restore-artifacts-'));
  });

  afterEach(() => {
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(artifactsDir, { recursive: true, force: true });
  });

  const restart = async () => {
    const logs: string[] = [];
    const cloud = await LocalCloud.start({
      port: 0,
      stateDir,
      identitiesFile: LOCAL_IDENTITIES_FILE,
      log: (line) => logs.push(line),
    });
    const stacks = cloud
      .stacks()
      .map((stack) => stack.stackName)
      .sort();
    await cloud.stop();
    return { stacks, failures: logs.filter((line) => line.startsWith('could not restore')) };
  };

  it('keeps a redeployed exporter before the stacks that import from it', async () => {
    // Arrange
    const cloud = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
    await cloud.deploy({ stackName: 'exporter', template: exporter, artifactsDir });
    await cloud.deploy({ stackName: 'importer', template: importer, artifactsDir });
    await cloud.deploy({ stackName: 'exporter', template: exporter, artifactsDir });
    await cloud.stop();

    // Act
    const restored = await restart();

    // Assess
    const order = JSON.parse(readFileSync(path.join(stateDir, 'stacks', 'order.json'), 'utf8')) as Array<{
      stackName: string;
    }>;
    expect(order.map((entry) => entry.stackName)).toEqual(['exporter', 'importer']);
    expect(restored).toEqual({ stacks: ['exporter', 'importer'], failures: [] });
  }, 60_000);

  it('restores an importer listed before its exporter (a state folder of an earlier version) on a later pass', async () => {
    // Arrange
    const cloud = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
    await cloud.deploy({ stackName: 'exporter', template: exporter, artifactsDir });
    await cloud.deploy({ stackName: 'importer', template: importer, artifactsDir });
    await cloud.stop();
    writeFileSync(
      path.join(stateDir, 'stacks', 'order.json'),
      JSON.stringify([{ stackName: 'importer' }, { stackName: 'exporter' }]),
    );

    // Act
    const restored = await restart();

    // Assess
    expect(restored).toEqual({ stacks: ['exporter', 'importer'], failures: [] });
  }, 60_000);

  it('still says why a stack cannot be restored when its export is gone for good', async () => {
    // Arrange
    const cloud = await LocalCloud.start({ port: 0, stateDir, identitiesFile: LOCAL_IDENTITIES_FILE });
    await cloud.deploy({ stackName: 'exporter', template: exporter, artifactsDir });
    await cloud.deploy({ stackName: 'importer', template: importer, artifactsDir });
    await cloud.stop();
    writeFileSync(path.join(stateDir, 'stacks', 'order.json'), JSON.stringify([{ stackName: 'importer' }]));

    // Act
    const restored = await restart();

    // Assess
    expect(restored.stacks).toEqual([]);
    expect(restored.failures).toEqual([
      expect.stringMatching(/^could not restore stack importer: importer: No export named base-name found/),
    ]);
  }, 60_000);
});
