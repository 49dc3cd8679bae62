import { expectArguments, expectString } from '../function-arguments';
import { indexPath } from '../paths';
import type { IntrinsicFunction } from '../scope';

const NAME = 'Fn::If';

/**
 * `{"Fn::If": [condition, whenTrue, whenFalse]}`. Only the chosen branch is resolved: the other may refer
 * to a resource that its condition keeps from being created.
 */
export const ifFunction: IntrinsicFunction = (argument, scope, at) => {
  const [conditionName, whenTrue, whenFalse] = expectArguments(
    NAME,
    argument,
    ['condition', 'valueIfTrue', 'valueIfFalse'],
    at,
  );
  const conditionAt = indexPath(at, 0);
  return scope.condition(expectString(NAME, conditionName, conditionAt), conditionAt)
    ? scope.resolve(whenTrue, indexPath(at, 1))
    : scope.resolve(whenFalse, indexPath(at, 2));
};
