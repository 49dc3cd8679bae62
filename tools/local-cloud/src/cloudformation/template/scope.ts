import { resolveNode } from './resolve-node';
import type { CloudFormationTemplate, ResolutionContext } from './types';

/** The value of a named condition; throws when the template does not define it. */
export type ConditionLookup = (conditionName: string, at: string) => boolean;

/** Everything an intrinsic function needs while it resolves one value. */
export interface Scope {
  readonly ctx: ResolutionContext;
  /** Without it, parameters come only from `ctx.parameters` and `Fn::FindInMap` has no Mappings. */
  readonly template?: CloudFormationTemplate;
  readonly condition: ConditionLookup;
  /**
   * False while the Conditions section is evaluated: CloudFormation evaluates conditions before any
   * resource exists, so they may refer to parameters and pseudo parameters only.
   */
  readonly resourcesVisible: boolean;
  /** Resolves a nested value (the arguments of a function are themselves values to resolve). */
  resolve(value: unknown, at: string): unknown;
}

/** A function such as `Fn::Join`: its argument is the unresolved JSON under its key. */
export type IntrinsicFunction = (argument: unknown, scope: Scope, at: string) => unknown;

export function createScope(fields: Omit<Scope, 'resolve'>): Scope {
  const scope: Scope = { ...fields, resolve: (value, at) => resolveNode(value, scope, at) };
  return scope;
}
