import { InvalidFunctionArgumentError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';
import type { CloudFormationTemplate } from '../types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
// Conditions referring to each other ({"Condition": "Name"}) are covered in evaluate-conditions.spec.ts.
const TEMPLATE: CloudFormationTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'prod' }, Replicas: { Type: 'Number', Default: 2 } },
  Resources: {},
};
const ctx = createTestContext();
const resolve = (value: unknown): unknown => resolveValue(value, ctx, {}, TEMPLATE);
const TRUE = { 'Fn::Equals': ['a', 'a'] };
const FALSE = { 'Fn::Equals': ['a', 'b'] };

describe('Fn::Equals', () => {
  it('compares resolved values', () => {
    expect(resolve({ 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] })).toBe(true);
    expect(resolve({ 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] })).toBe(false);
  });

  it('compares numbers and booleans as the strings parameters are', () => {
    expect(resolve({ 'Fn::Equals': [{ Ref: 'Replicas' }, 2] })).toBe(true);
    expect(resolve({ 'Fn::Equals': ['true', true] })).toBe(true);
  });

  it('compares lists element by element', () => {
    expect(resolve({ 'Fn::Equals': [{ 'Fn::Split': [',', 'a,b'] }, ['a', 'b']] })).toBe(true);
    expect(resolve({ 'Fn::Equals': [{ 'Fn::Split': [',', 'a,b'] }, ['b', 'a']] })).toBe(false);
  });

  it('refuses anything but two values', () => {
    expect(() => resolve({ 'Fn::Equals': ['a'] })).toThrow('Fn::Equals expects [value1, value2]');
  });
});

describe('Fn::And', () => {
  it('is true only when every condition is', () => {
    expect(resolve({ 'Fn::And': [TRUE, TRUE, TRUE] })).toBe(true);
    expect(resolve({ 'Fn::And': [TRUE, FALSE] })).toBe(false);
  });

  it('takes 2 to 10 conditions', () => {
    expect(() => resolve({ 'Fn::And': [TRUE] })).toThrow(
      new InvalidFunctionArgumentError('Fn::And', 'expects 2 to 10 conditions, got 1', '$.Fn::And'),
    );
    expect(() => resolve({ 'Fn::And': Array(11).fill(TRUE) })).toThrow('expects 2 to 10 conditions, got 11');
  });

  it('refuses an operand that is not a condition, pointing at it', () => {
    expect(() => resolve({ 'Fn::And': [TRUE, 'yes'] })).toThrow(
      'Fn::And expects a condition, got "yes" (at $.Fn::And[1])',
    );
  });
});

describe('Fn::Or', () => {
  it('is true when any condition is', () => {
    expect(resolve({ 'Fn::Or': [FALSE, TRUE] })).toBe(true);
    expect(resolve({ 'Fn::Or': [FALSE, FALSE] })).toBe(false);
  });

  it('takes 2 to 10 conditions', () => {
    expect(() => resolve({ 'Fn::Or': [] })).toThrow('Fn::Or expects 2 to 10 conditions, got 0');
  });
});

describe('Fn::Not', () => {
  it('negates its one condition', () => {
    expect(resolve({ 'Fn::Not': [TRUE] })).toBe(false);
    expect(resolve({ 'Fn::Not': [FALSE] })).toBe(true);
  });

  it('nests with the other condition functions', () => {
    expect(
      resolve({ 'Fn::Not': [{ 'Fn::And': [TRUE, { 'Fn::Or': [FALSE, { 'Fn::Not': [FALSE] }] }] }] }),
    ).toBe(false);
  });

  it('refuses anything but a list of one condition', () => {
    expect(() => resolve({ 'Fn::Not': TRUE })).toThrow('Fn::Not expects [condition]');
    expect(() => resolve({ 'Fn::Not': [TRUE, TRUE] })).toThrow('Fn::Not expects [condition]');
  });
});
