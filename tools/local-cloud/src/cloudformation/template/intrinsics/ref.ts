import { expectString } from '../function-arguments';
import type { NoValue } from '../no-value';
import { parameterValue } from '../parameters';
import { pseudoParameterValue } from '../pseudo-parameters';
import { resourcePhysicalId } from '../resource-lookup';
import type { IntrinsicFunction, Scope } from '../scope';

/**
 * What `Ref` (and a `${Name}` in `Fn::Sub`) gives for a name: a pseudo parameter, else a template
 * parameter, else a created resource's physical id. CloudFormation keeps parameter and resource names
 * apart, so the order only matters for pseudo parameters, which are never logical ids.
 */
export function referenceValue(name: string, scope: Scope, at: string): string | string[] | NoValue {
  return (
    pseudoParameterValue(name, scope.ctx) ??
    parameterValue(name, scope.template, scope.ctx.parameters) ??
    resourcePhysicalId(name, scope, at)
  );
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-ref.html
export const ref: IntrinsicFunction = (argument, scope, at) =>
  referenceValue(expectString('Ref', argument, at), scope, at);
