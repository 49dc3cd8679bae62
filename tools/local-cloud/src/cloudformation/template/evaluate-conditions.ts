import { ConditionError } from './errors';
import { evaluateCondition } from './intrinsics/condition-functions';
import { checkParameters } from './parameters';
import { propertyPath } from './paths';
import { createScope, type ConditionLookup } from './scope';
import type { CloudFormationTemplate, ResolutionContext } from './types';

const CONDITIONS_SECTION = 'Conditions';

/**
 * Evaluates the template's Conditions section, conditions referring to one another through
 * `{"Condition": "Name"}` in any order. Parameters are checked first (each needs a value or a Default), as
 * CloudFormation does before it creates anything, so call this before creating resources.
 *
 * @example
 * const conditions = evaluateConditions(template, ctx); // { IsProduction: false, ... }
 */
export function evaluateConditions(
  template: CloudFormationTemplate,
  ctx: ResolutionContext,
): Record<string, boolean> {
  checkParameters(template, ctx.parameters);
  const definitions = template.Conditions ?? {};
  const evaluated = new Map<string, boolean>();
  const inProgress: string[] = [];

  const condition: ConditionLookup = (name, at) => {
    if (!Object.hasOwn(definitions, name)) {
      throw new ConditionError(name, `Condition ${name} is not defined in Conditions`, at);
    }
    const known = evaluated.get(name);
    if (known !== undefined) return known;
    const definitionAt = propertyPath(CONDITIONS_SECTION, name);
    if (inProgress.includes(name)) {
      const cycle = [...inProgress.slice(inProgress.indexOf(name)), name];
      throw new ConditionError(
        name,
        `Circular dependency between conditions: [${cycle.join(' -> ')}]`,
        definitionAt,
      );
    }
    inProgress.push(name);
    const value = evaluateCondition(CONDITIONS_SECTION, definitions[name], scope, definitionAt);
    inProgress.pop();
    evaluated.set(name, value);
    return value;
  };
  const scope = createScope({ ctx, template, condition, resourcesVisible: false });

  return Object.fromEntries(
    Object.keys(definitions).map((name) => [name, condition(name, propertyPath(CONDITIONS_SECTION, name))]),
  );
}
