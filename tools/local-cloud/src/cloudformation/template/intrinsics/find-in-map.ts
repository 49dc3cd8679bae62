import { TemplateError } from '../errors';
import { expectArguments, expectString } from '../function-arguments';
import { indexPath } from '../paths';
import type { IntrinsicFunction } from '../scope';

const NAME = 'Fn::FindInMap';

function entry<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `{"Fn::FindInMap": [map, topLevelKey, secondLevelKey]}`; each key may be a Ref (often to AWS::Region). */
export const findInMap: IntrinsicFunction = (argument, scope, at) => {
  const [mapName, topKey, secondKey] = expectArguments(
    NAME,
    argument,
    ['MapName', 'TopLevelKey', 'SecondLevelKey'],
    at,
  ).map((key, index) => expectString(NAME, scope.resolve(key, indexPath(at, index)), indexPath(at, index)));
  const map = entry(scope.template?.Mappings, mapName as string);
  if (!map) throw new TemplateError(`${NAME}: the template has no mapping ${mapName}`, at);
  const value = entry(entry(map, topKey as string), secondKey as string);
  if (value === undefined) {
    throw new TemplateError(`${NAME}: mapping ${mapName} has no value for [${topKey}, ${secondKey}]`, at);
  }
  // Mapping values are literals; a copy keeps callers from editing the template through the result.
  return structuredClone(value);
};
