import { InvalidFunctionArgumentError } from '../errors';
import { expectArguments, expectList } from '../function-arguments';
import { indexPath } from '../paths';
import type { IntrinsicFunction } from '../scope';

const NAME = 'Fn::Select';

/** `{"Fn::Select": [index, list]}`; the index may be a string ("0"), as Ref and Fn::FindInMap give. */
export const select: IntrinsicFunction = (argument, scope, at) => {
  const [index, list] = expectArguments(NAME, argument, ['index', 'list'], at);
  const indexAt = indexPath(at, 0);
  const listAt = indexPath(at, 1);
  const resolvedIndex = scope.resolve(index, indexAt);
  const position =
    typeof resolvedIndex === 'string' && resolvedIndex.trim() !== '' ? Number(resolvedIndex) : resolvedIndex;
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
    throw new InvalidFunctionArgumentError(
      NAME,
      `expects a whole-number index, got ${JSON.stringify(resolvedIndex)}`,
      indexAt,
    );
  }
  const items = expectList(NAME, scope.resolve(list, listAt), listAt);
  if (position >= items.length) {
    throw new InvalidFunctionArgumentError(
      NAME,
      `cannot select index ${position} of a list of ${items.length}`,
      at,
    );
  }
  return items[position];
};
