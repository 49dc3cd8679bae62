import { BlockList, isIP } from 'node:net';
import type { ContextValue } from './types';
import { substituteVariables } from './variables';
import { arnLikeMatch, wildcardMatch } from './wildcard';

export type Lookup = (key: string) => ContextValue | undefined;
type Compare = (actual: string, expected: string) => boolean;

function toDate(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

function inCidr(ip: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const family = isIP(network ?? '');
  if (!family || isIP(ip) !== family) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(network as string, Number(bits ?? (family === 4 ? 32 : 128)), type);
  return list.check(ip, type);
}

/** Positive operators; the negated ones are their complement. */
const OPERATORS: Record<string, Compare> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => wildcardMatch(e, a),
  NumericEquals: (a, e) => Number(a) === Number(e),
  NumericLessThan: (a, e) => Number(a) < Number(e),
  NumericLessThanEquals: (a, e) => Number(a) <= Number(e),
  NumericGreaterThan: (a, e) => Number(a) > Number(e),
  NumericGreaterThanEquals: (a, e) => Number(a) >= Number(e),
  DateEquals: (a, e) => toDate(a) === toDate(e),
  DateLessThan: (a, e) => toDate(a) < toDate(e),
  DateLessThanEquals: (a, e) => toDate(a) <= toDate(e),
  DateGreaterThan: (a, e) => toDate(a) > toDate(e),
  DateGreaterThanEquals: (a, e) => toDate(a) >= toDate(e),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  BinaryEquals: (a, e) => a === e,
  IpAddress: (a, e) => inCidr(a, e),
  ArnEquals: (a, e) => arnLikeMatch(e, a),
  ArnLike: (a, e) => arnLikeMatch(e, a),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** Operators whose policy values may hold `*` and `?` wildcards. */
const WILDCARD_OPERATORS = new Set(['StringLike', 'ArnEquals', 'ArnLike']);

/**
 * "You can use a policy variable for Condition values in any condition that involves the string operators or the
 * ARN operators": elsewhere (numeric, date, Boolean, binary, IP address, Null) `${...}` is literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
const takesVariables = (base: string) => base.startsWith('String') || base.startsWith('Arn');

/** "You can add IfExists to the end of any condition operator name except the Null condition." */
export function isKnownOperator(name: string): boolean {
  const operator = name.replace(/^(ForAnyValue|ForAllValues):/, '');
  const base = operator.replace(/IfExists$/, '');
  return operator === 'Null' || base in OPERATORS || base in NEGATED;
}

function values(value: ContextValue | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [String(value)];
}

export type CompiledCondition = (lookup: Lookup) => boolean;

/**
 * One operator over one key, compiled once per policy: values of the policy are OR'ed; a missing key makes
 * positive operators false, negated ones true, `...IfExists` true, `ForAllValues` true and `ForAnyValue` false.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 *
 * A policy variable without a value (no such key in the request, no default) is "effectively null": "condition
 * operators like StringEquals or StringLike do not match" and "inverted condition operators like StringNotEquals or
 * StringNotLike do match against a null value" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html,
 * "Policy variables with no value"). Older wording of that page said an unresolved variable "might cause the entire
 * statement to be invalid"; this follows the newer, specific text.
 */
export function compileCondition(
  operatorName: string,
  key: string,
  expectedRaw: unknown,
  variables: boolean,
): CompiledCondition {
  const setMatch = /^(ForAnyValue|ForAllValues):/.exec(operatorName)?.[1];
  let operator = operatorName.replace(/^(ForAnyValue|ForAllValues):/, '');
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const negatedBase = NEGATED[operator];
  const base = negatedBase ?? operator;
  const wildcards = WILDCARD_OPERATORS.has(base);
  const raw = ([] as unknown[]).concat(expectedRaw).map(String);
  const dynamic = variables && takesVariables(base) && raw.some((value) => value.includes('${'));
  // An unresolved value is dropped: it equals, and is like, nothing.
  const expectedOf = (lookup: Lookup): string[] =>
    dynamic
      ? raw
          .map((value) => substituteVariables(value, lookup, wildcards))
          .filter((value): value is string => value !== undefined)
      : raw;
  if (operator === 'Null') {
    const wantsMissing = raw.some((value) => value.toLowerCase() === 'true');
    return (lookup) => (wantsMissing ? lookup(key) === undefined : lookup(key) !== undefined);
  }
  const compare = OPERATORS[base];
  if (!compare) return () => false;
  return (lookup) => {
    const expected = expectedOf(lookup);
    const actual = values(lookup(key));
    if (actual === undefined || actual.length === 0) {
      if (setMatch === 'ForAllValues') return true;
      if (setMatch === 'ForAnyValue') return false;
      return ifExists || negatedBase !== undefined;
    }
    const matchesOne = (value: string) => {
      const any = expected.some((candidate) => compare(value, candidate));
      return negatedBase ? !any : any;
    };
    if (setMatch === 'ForAllValues') return actual.every(matchesOne);
    if (setMatch === 'ForAnyValue') return actual.some(matchesOne);
    // Single-valued key: for negated operators the value must match none of the expected values.
    return negatedBase ? actual.every(matchesOne) : actual.some(matchesOne);
  };
}

/** `compileCondition` for one request (tests, one-off checks). */
export function evaluateCondition(
  operatorName: string,
  key: string,
  expected: unknown,
  lookup: Lookup,
  variables = true,
): boolean {
  return compileCondition(operatorName, key, expected, variables)(lookup);
}
