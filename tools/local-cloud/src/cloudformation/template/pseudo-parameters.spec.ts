import { NO_VALUE } from './no-value';
import { isPseudoParameterName, pseudoParameterValue } from './pseudo-parameters';
import {
  createTestContext,
  TEST_ACCOUNT_ID,
  TEST_REGION,
  TEST_STACK_ID,
  TEST_STACK_NAME,
} from './testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html
describe('pseudoParameterValue', () => {
  it.each([
    ['AWS::AccountId', TEST_ACCOUNT_ID],
    ['AWS::Region', TEST_REGION],
    ['AWS::StackName', TEST_STACK_NAME],
    ['AWS::StackId', TEST_STACK_ID],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
  ])('gives %s from the context, with commercial-partition defaults', (name, expected) => {
    expect(pseudoParameterValue(name, createTestContext())).toBe(expected);
  });

  it('uses the partition and URL suffix the context gives (China regions)', () => {
    // Prepare
    const ctx = createTestContext({ partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' });

    // Act
    const values = ['AWS::Partition', 'AWS::URLSuffix'].map((name) => pseudoParameterValue(name, ctx));

    // Assess
    expect(values).toEqual(['aws-cn', 'amazonaws.com.cn']);
  });

  it('gives the NoValue marker for AWS::NoValue', () => {
    expect(pseudoParameterValue('AWS::NoValue', createTestContext())).toBe(NO_VALUE);
  });

  it('gives undefined for names that are not pseudo parameters or have no local value', () => {
    expect(pseudoParameterValue('ApiGatewayRestApi', createTestContext())).toBeUndefined();
    expect(pseudoParameterValue('AWS::NotificationARNs', createTestContext())).toBeUndefined();
  });
});

describe('isPseudoParameterName', () => {
  it('recognises the AWS:: prefix only', () => {
    expect(isPseudoParameterName('AWS::Region')).toBe(true);
    expect(isPseudoParameterName('AWSRegion')).toBe(false);
  });
});
