import { NO_VALUE_PSEUDO_PARAMETER } from './constants';

/**
 * What `{"Ref": "AWS::NoValue"}` resolves to while resolving: a marker that the enclosing object or list
 * drops. A symbol, so no JSON value can be mistaken for it.
 */
export const NO_VALUE: unique symbol = Symbol(NO_VALUE_PSEUDO_PARAMETER);
export type NoValue = typeof NO_VALUE;

export function isNoValue(value: unknown): value is NoValue {
  return value === NO_VALUE;
}
