import { ConditionError } from './errors';
import type { ConditionLookup } from './scope';

/** Looks conditions up in the result of `evaluateConditions`; an unknown name is a template error. */
export function conditionLookup(conditions: Record<string, boolean>): ConditionLookup {
  return (conditionName, at) => {
    const value = Object.hasOwn(conditions, conditionName) ? conditions[conditionName] : undefined;
    if (value === undefined) {
      throw new ConditionError(conditionName, `Condition ${conditionName} is not defined in Conditions`, at);
    }
    return value;
  };
}
