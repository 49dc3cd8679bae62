import { MAX_CONDITION_OPERANDS, MIN_CONDITION_OPERANDS } from '../constants';
import { InvalidFunctionArgumentError } from '../errors';
import { expectArguments, expectList, expectString } from '../function-arguments';
import { indexPath, propertyPath } from '../paths';
import { isPlainObject, singleKey } from '../plain-object';
import type { IntrinsicFunction, Scope } from '../scope';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html

const CONDITION_KEY = 'Condition';

/**
 * One operand of `Fn::And`/`Fn::Or`/`Fn::Not`, or a condition's definition: `{"Condition": "Name"}` or a
 * condition function. `Condition` is read as a reference only here - in Properties it is an ordinary key
 * (IAM statements have one).
 */
export function evaluateCondition(functionName: string, operand: unknown, scope: Scope, at: string): boolean {
  if (isPlainObject(operand) && singleKey(operand) === CONDITION_KEY) {
    const nameAt = propertyPath(at, CONDITION_KEY);
    return scope.condition(expectString(CONDITION_KEY, operand[CONDITION_KEY], nameAt), nameAt);
  }
  const value = scope.resolve(operand, at);
  if (typeof value !== 'boolean') {
    throw new InvalidFunctionArgumentError(
      functionName,
      `expects a condition, got ${JSON.stringify(value)}`,
      at,
    );
  }
  return value;
}

function conditionOperands(functionName: string, argument: unknown, scope: Scope, at: string): boolean[] {
  const operands = expectList(functionName, argument, at);
  if (operands.length < MIN_CONDITION_OPERANDS || operands.length > MAX_CONDITION_OPERANDS) {
    throw new InvalidFunctionArgumentError(
      functionName,
      `expects ${MIN_CONDITION_OPERANDS} to ${MAX_CONDITION_OPERANDS} conditions, got ${operands.length}`,
      at,
    );
  }
  return operands.map((operand, index) =>
    evaluateCondition(functionName, operand, scope, indexPath(at, index)),
  );
}

/** Parameters are strings to CloudFormation, so `2` equals `"2"` and `true` equals `"true"`. */
function comparable(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(comparable);
  return value;
}

export const equals: IntrinsicFunction = (argument, scope, at) => {
  const [left, right] = expectArguments('Fn::Equals', argument, ['value1', 'value2'], at).map(
    (value, index) => comparable(scope.resolve(value, indexPath(at, index))),
  );
  return JSON.stringify(left) === JSON.stringify(right);
};

// Every operand is evaluated (no short-circuit) so a misspelt condition fails whatever the others say.
export const and: IntrinsicFunction = (argument, scope, at) =>
  conditionOperands('Fn::And', argument, scope, at).every(Boolean);

export const or: IntrinsicFunction = (argument, scope, at) =>
  conditionOperands('Fn::Or', argument, scope, at).some(Boolean);

export const not: IntrinsicFunction = (argument, scope, at) => {
  const [operand] = expectArguments('Fn::Not', argument, ['condition'], at);
  return !evaluateCondition('Fn::Not', operand, scope, indexPath(at, 0));
};
