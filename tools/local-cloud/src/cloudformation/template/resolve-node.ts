import { UnsupportedFunctionError } from './errors';
import { INTRINSIC_FUNCTIONS, isIntrinsicFunctionName } from './intrinsics/intrinsic-functions';
import { isNoValue } from './no-value';
import { indexPath, propertyPath } from './paths';
import { isPlainObject, singleKey } from './plain-object';
import type { Scope } from './scope';

/**
 * Resolves one template value: a one-key object whose key is `Ref` or `Fn::*` is a function call; other
 * objects and lists are resolved member by member, dropping members that resolved to AWS::NoValue.
 * Always builds new objects and lists, so the template is never changed.
 */
export function resolveNode(value: unknown, scope: Scope, at: string): unknown {
  if (Array.isArray(value)) {
    return value
      .map((item, index) => resolveNode(item, scope, indexPath(at, index)))
      .filter((item) => !isNoValue(item));
  }
  if (!isPlainObject(value)) return value;
  const key = singleKey(value);
  if (key !== undefined && isIntrinsicFunctionName(key)) {
    const intrinsic = INTRINSIC_FUNCTIONS.get(key);
    if (!intrinsic) throw new UnsupportedFunctionError(key, at);
    return intrinsic(value[key], scope, propertyPath(at, key));
  }
  const resolved: Record<string, unknown> = {};
  for (const [property, member] of Object.entries(value)) {
    const memberValue = resolveNode(member, scope, propertyPath(at, property));
    if (!isNoValue(memberValue)) resolved[property] = memberValue;
  }
  return resolved;
}
