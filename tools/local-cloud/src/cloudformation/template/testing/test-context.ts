import type { ResolutionContext } from '../types';

export interface CreatedResource {
  physicalId: string;
  attributes?: Record<string, unknown>;
}

export interface TestContextOptions {
  /** Resources already created, by logical id. */
  resources?: Record<string, CreatedResource>;
  /** Exports of other stacks, by export name. */
  exports?: Record<string, string>;
  parameters?: Record<string, string>;
  partition?: string;
  urlSuffix?: string;
}

export const TEST_ACCOUNT_ID = '123456789012';
export const TEST_REGION = 'eu-west-1';
export const TEST_STACK_NAME = 'order-service-local';
export const TEST_STACK_ID = `arn:aws:cloudformation:${TEST_REGION}:${TEST_ACCOUNT_ID}:stack/${TEST_STACK_NAME}/local`;

/** A fixed account, region and stack, with the created resources and exports a test lists. */
export function createTestContext(options: TestContextOptions = {}): ResolutionContext {
  const resources = options.resources ?? {};
  const exports = options.exports ?? {};
  const created = (logicalId: string): CreatedResource | undefined =>
    Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  return {
    accountId: TEST_ACCOUNT_ID,
    region: TEST_REGION,
    stackName: TEST_STACK_NAME,
    stackId: TEST_STACK_ID,
    partition: options.partition,
    urlSuffix: options.urlSuffix,
    parameters: options.parameters,
    ref: (logicalId) => created(logicalId)?.physicalId,
    getAtt: (logicalId, attribute) => created(logicalId)?.attributes?.[attribute],
    importValue: (exportName) => (Object.hasOwn(exports, exportName) ? exports[exportName] : undefined),
  };
}
