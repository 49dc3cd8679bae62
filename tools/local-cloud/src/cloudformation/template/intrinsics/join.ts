import { expectArguments, expectList, expectString } from '../function-arguments';
import { indexPath } from '../paths';
import type { IntrinsicFunction } from '../scope';

const NAME = 'Fn::Join';

/** `{"Fn::Join": [delimiter, [values]]}`; the list may come from another function (`Fn::Split`, a list Ref). */
export const join: IntrinsicFunction = (argument, scope, at) => {
  const [delimiter, list] = expectArguments(NAME, argument, ['delimiter', 'list'], at);
  const delimiterAt = indexPath(at, 0);
  const listAt = indexPath(at, 1);
  const separator = expectString(NAME, scope.resolve(delimiter, delimiterAt), delimiterAt);
  const items = expectList(NAME, scope.resolve(list, listAt), listAt);
  return items.map((item, index) => expectString(NAME, item, indexPath(listAt, index))).join(separator);
};
