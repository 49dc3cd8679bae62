import { expectArguments, expectString } from '../function-arguments';
import { indexPath } from '../paths';
import type { IntrinsicFunction } from '../scope';

const NAME = 'Fn::Split';

/** `{"Fn::Split": [delimiter, string]}`; the string is often an import or attribute holding a list. */
export const split: IntrinsicFunction = (argument, scope, at) => {
  const [delimiter, source] = expectArguments(NAME, argument, ['delimiter', 'string'], at);
  const delimiterAt = indexPath(at, 0);
  const sourceAt = indexPath(at, 1);
  const separator = expectString(NAME, scope.resolve(delimiter, delimiterAt), delimiterAt);
  return expectString(NAME, scope.resolve(source, sourceAt), sourceAt).split(separator);
};
