/** Defaults of the pseudo parameters the deployer may leave out (commercial AWS partition). */
export const DEFAULT_PARTITION = 'aws';
export const DEFAULT_URL_SUFFIX = 'amazonaws.com';

/** `Ref` of this pseudo parameter removes the property or list element that holds it. */
export const NO_VALUE_PSEUDO_PARAMETER = 'AWS::NoValue';

/** Prefix of every pseudo parameter; such names are never logical ids. */
export const PSEUDO_PARAMETER_PREFIX = 'AWS::';

/** Zone letters `Fn::GetAZs` answers with: a local region has exactly these three. */
export const AVAILABILITY_ZONE_LETTERS = ['a', 'b', 'c'] as const;

/** `Fn::And` and `Fn::Or` take between 2 and 10 conditions (Condition functions reference). */
export const MIN_CONDITION_OPERANDS = 2;
export const MAX_CONDITION_OPERANDS = 10;

/** Where errors point when the caller gave no path. */
export const ROOT_PATH = '$';
