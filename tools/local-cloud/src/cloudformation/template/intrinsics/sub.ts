import { InvalidFunctionArgumentError } from '../errors';
import { expectArguments, expectString } from '../function-arguments';
import { indexPath } from '../paths';
import { isPlainObject } from '../plain-object';
import { resourceAttribute } from '../resource-lookup';
import type { IntrinsicFunction, Scope } from '../scope';
import { parseSubTemplate, splitAttributeReference } from '../sub-template';
import { referenceValue } from './ref';

const NAME = 'Fn::Sub';

/** A variable of the map wins over a parameter or resource of the same name (Fn::Sub reference). */
function placeholderValue(
  name: string,
  variables: Record<string, unknown>,
  scope: Scope,
  at: string,
): string {
  if (name === '') throw new InvalidFunctionArgumentError(NAME, 'has an empty ${} placeholder', at);
  if (Object.hasOwn(variables, name)) return expectString(NAME, variables[name], at);
  const attributeReference = splitAttributeReference(name);
  const value = attributeReference
    ? resourceAttribute(attributeReference.logicalId, attributeReference.attribute, scope, at)
    : referenceValue(name, scope, at);
  return expectString(NAME, value, at);
}

function substitute(text: string, variables: Record<string, unknown>, scope: Scope, at: string): string {
  return parseSubTemplate(text)
    .map((part) => (part.kind === 'text' ? part.text : placeholderValue(part.name, variables, scope, at)))
    .join('');
}

/** `{"Fn::Sub": "text"}` or `{"Fn::Sub": ["text", {"Var": value}]}`; the values of the map may be functions. */
export const sub: IntrinsicFunction = (argument, scope, at) => {
  if (typeof argument === 'string') return substitute(argument, {}, scope, at);
  const [text, variables] = expectArguments(NAME, argument, ['string', 'variables'], at);
  const textAt = indexPath(at, 0);
  const variablesAt = indexPath(at, 1);
  if (typeof text !== 'string') {
    throw new InvalidFunctionArgumentError(NAME, 'expects a literal string to substitute into', textAt);
  }
  const resolvedVariables = scope.resolve(variables, variablesAt);
  if (!isPlainObject(resolvedVariables)) {
    throw new InvalidFunctionArgumentError(NAME, 'expects an object of variables', variablesAt);
  }
  return substitute(text, resolvedVariables, scope, at);
};
