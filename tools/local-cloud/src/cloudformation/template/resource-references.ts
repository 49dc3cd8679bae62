import { isPlainObject, singleKey } from './plain-object';
import { isPseudoParameterName } from './pseudo-parameters';
import { parseSubTemplate, splitAttributeReference } from './sub-template';

function subReferences(argument: unknown, found: Set<string>): void {
  const [text, variables] = Array.isArray(argument) ? argument : [argument];
  if (typeof text !== 'string') return;
  const ownVariables = isPlainObject(variables) ? variables : {};
  for (const part of parseSubTemplate(text)) {
    if (part.kind === 'text' || Object.hasOwn(ownVariables, part.name)) continue;
    found.add(splitAttributeReference(part.name)?.logicalId ?? part.name);
  }
  collectReferences(ownVariables, found);
}

function getAttReference(argument: unknown, found: Set<string>): void {
  const target =
    typeof argument === 'string' ? argument.split('.')[0] : Array.isArray(argument) ? argument[0] : undefined;
  if (typeof target === 'string') found.add(target);
  // The attribute name of the list form may itself be a Ref to a parameter.
  if (Array.isArray(argument)) collectReferences(argument.slice(1), found);
}

function collectReferences(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found);
    return;
  }
  if (!isPlainObject(value)) return;
  const key = singleKey(value);
  const argument = key === undefined ? undefined : value[key];
  if (key === 'Ref' && typeof argument === 'string') found.add(argument);
  else if (key === 'Fn::GetAtt') getAttReference(argument, found);
  else if (key === 'Fn::Sub') subReferences(argument, found);
  else for (const member of Object.values(value)) collectReferences(member, found);
}

/**
 * Names `value` refers to through Ref, Fn::GetAtt and Fn::Sub placeholders (a Sub's own variables
 * excluded), in order of appearance; pseudo parameters left out. Both branches of an Fn::If count, as
 * CloudFormation orders resources before it evaluates conditions.
 */
export function referencedNames(value: unknown): string[] {
  const found = new Set<string>();
  collectReferences(value, found);
  return [...found].filter((name) => !isPseudoParameterName(name));
}
