import { InvalidFunctionArgumentError } from '../errors';
import { resolveValue } from '../resolve-value';
import { createTestContext } from '../testing/test-context';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-select.html
const ctx = createTestContext();

describe('Fn::Select', () => {
  it('picks an element by index', () => {
    expect(resolveValue({ 'Fn::Select': [1, ['apples', 'grapes', 'oranges']] }, ctx, {})).toBe('grapes');
  });

  it('accepts the index as a string and the list from another function', () => {
    expect(resolveValue({ 'Fn::Select': ['0', { 'Fn::GetAZs': '' }] }, ctx, {})).toBe('eu-west-1a');
  });

  it('refuses an index past the end of the list', () => {
    expect(() => resolveValue({ 'Fn::Select': [2, ['a', 'b']] }, ctx, {})).toThrow(
      new InvalidFunctionArgumentError('Fn::Select', 'cannot select index 2 of a list of 2', '$.Fn::Select'),
    );
  });

  it.each([[-1], [1.5], ['one'], ['']])('refuses the index %j', (index) => {
    expect(() => resolveValue({ 'Fn::Select': [index, ['a', 'b']] }, ctx, {})).toThrow(
      'expects a whole-number index',
    );
  });

  it('refuses a list that is not a list', () => {
    expect(() => resolveValue({ 'Fn::Select': [0, 'a,b'] }, ctx, {})).toThrow('Fn::Select expects a list');
  });
});
