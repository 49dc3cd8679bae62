import { InvalidFunctionArgumentError } from './errors';
import { isNoValue } from './no-value';

function describe(value: unknown): string {
  if (isNoValue(value)) return 'AWS::NoValue';
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * A string argument. Numbers and booleans are accepted as their text because YAML templates turn
 * `Port: 443` into a number where CloudFormation itself sees a string.
 */
export function expectString(functionName: string, value: unknown, at: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InvalidFunctionArgumentError(functionName, `expects a string, got ${describe(value)}`, at);
}

export function expectList(functionName: string, value: unknown, at: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new InvalidFunctionArgumentError(functionName, `expects a list, got ${describe(value)}`, at);
}

/**
 * A function's argument list of a fixed length; `usage` names the elements for the error message,
 * e.g. `['index', 'list']` for `Fn::Select`.
 */
export function expectArguments(
  functionName: string,
  argument: unknown,
  usage: readonly string[],
  at: string,
): unknown[] {
  if (Array.isArray(argument) && argument.length === usage.length) return argument;
  throw new InvalidFunctionArgumentError(
    functionName,
    `expects [${usage.join(', ')}], got ${describe(argument)}`,
    at,
  );
}
