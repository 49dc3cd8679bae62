import { conditionLookup } from './condition-lookup';
import { TemplateError } from './errors';
import { propertyPath } from './paths';
import { resolveValue } from './resolve-value';
import type { CloudFormationTemplate, ResolutionContext, ResolvedOutput, TemplateOutput } from './types';

const OUTPUTS_SECTION = 'Outputs';

/** Outputs and export names are strings in DescribeStacks; a list or object has no such form. */
function outputString(value: unknown, what: string, at: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(
    `${what} must resolve to a string, got ${JSON.stringify(value) ?? 'AWS::NoValue'}`,
    at,
  );
}

function resolveOutput(
  key: string,
  output: TemplateOutput,
  ctx: ResolutionContext,
  conditions: Record<string, boolean>,
  template: CloudFormationTemplate,
): ResolvedOutput {
  const at = propertyPath(OUTPUTS_SECTION, key);
  const valueAt = propertyPath(at, 'Value');
  const value = outputString(
    resolveValue(output.Value, ctx, conditions, template, valueAt),
    `Output ${key}`,
    valueAt,
  );
  const resolved: ResolvedOutput = { key, value };
  if (typeof output.Description === 'string') resolved.description = output.Description;
  if (output.Export !== undefined) {
    const nameAt = propertyPath(propertyPath(at, 'Export'), 'Name');
    const name = resolveValue(output.Export.Name, ctx, conditions, template, nameAt);
    resolved.exportName = outputString(name, `Export name of ${key}`, nameAt);
  }
  return resolved;
}

function checkUniqueExports(outputs: ResolvedOutput[]): void {
  const owners = new Map<string, string>();
  for (const { key, exportName } of outputs) {
    if (exportName === undefined) continue;
    const owner = owners.get(exportName);
    if (owner !== undefined) {
      throw new TemplateError(
        `Outputs ${owner} and ${key} both export ${exportName}`,
        propertyPath(OUTPUTS_SECTION, key),
      );
    }
    owners.set(exportName, key);
  }
}

/**
 * The stack's outputs with values and export names resolved, in template order. Outputs whose Condition
 * is false are left out. Call it once every resource is created.
 *
 * @example
 * resolveOutputs(template, ctx, conditions); // [{ key: 'ServiceEndpoint', value: 'https://...', exportName: '...' }]
 */
export function resolveOutputs(
  template: CloudFormationTemplate,
  ctx: ResolutionContext,
  conditions: Record<string, boolean>,
): ResolvedOutput[] {
  const condition = conditionLookup(conditions);
  const outputs = Object.entries(template.Outputs ?? {})
    .filter(
      ([key, output]) =>
        output.Condition === undefined ||
        condition(output.Condition, propertyPath(propertyPath(OUTPUTS_SECTION, key), 'Condition')),
    )
    .map(([key, output]) => resolveOutput(key, output, ctx, conditions, template));
  checkUniqueExports(outputs);
  return outputs;
}
