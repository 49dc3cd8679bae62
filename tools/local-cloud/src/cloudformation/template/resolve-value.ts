import { ROOT_PATH } from './constants';
import { conditionLookup } from './condition-lookup';
import { isNoValue } from './no-value';
import { createScope } from './scope';
import type { CloudFormationTemplate, ResolutionContext } from './types';

/**
 * Resolves every intrinsic function in `value`, however deep, into plain JSON. Properties and list
 * elements that resolve to `AWS::NoValue` are removed; a `value` that is itself `AWS::NoValue` gives
 * undefined. Errors name the function and the path (`at`, then the path inside `value`).
 *
 * Pass `template` for parameter Defaults, `Fn::FindInMap`, and messages that say why a resource has no
 * physical id yet.
 *
 * @example
 * const properties = resolveValue(resource.Properties ?? {}, ctx, conditions, template, `Resources.${logicalId}.Properties`);
 */
export function resolveValue(
  value: unknown,
  ctx: ResolutionContext,
  conditions: Record<string, boolean>,
  template?: CloudFormationTemplate,
  at: string = ROOT_PATH,
): unknown {
  const scope = createScope({
    ctx,
    template,
    condition: conditionLookup(conditions),
    resourcesVisible: true,
  });
  const resolved = scope.resolve(value, at);
  return isNoValue(resolved) ? undefined : resolved;
}
