import { InvalidFunctionArgumentError } from '../errors';
import { expectString } from '../function-arguments';
import { indexPath } from '../paths';
import { resourceAttribute } from '../resource-lookup';
import type { IntrinsicFunction } from '../scope';

const NAME = 'Fn::GetAtt';

/**
 * `{"Fn::GetAtt": ["Logical", "Attr"]}` or the string form `"Logical.Attr"` (the attribute may hold
 * dots: `Db.Endpoint.Address`). In the list form the attribute may be a Ref; the logical id may not.
 */
export const getAtt: IntrinsicFunction = (argument, scope, at) => {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    if (dot <= 0 || dot === argument.length - 1) {
      throw new InvalidFunctionArgumentError(NAME, `expects "LogicalId.Attribute", got "${argument}"`, at);
    }
    return resourceAttribute(argument.slice(0, dot), argument.slice(dot + 1), scope, at);
  }
  if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
    throw new InvalidFunctionArgumentError(
      NAME,
      `expects [LogicalId, Attribute], got ${JSON.stringify(argument)}`,
      at,
    );
  }
  const attributeAt = indexPath(at, 1);
  const attribute = expectString(NAME, scope.resolve(argument[1], attributeAt), attributeAt);
  return resourceAttribute(argument[0], attribute, scope, at);
};
