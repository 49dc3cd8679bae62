import { BlockList, isIP } from 'node:net';
import type { ContextValue } from './types';
import { wildcardMatch } from './wildcard';

type Lookup = (key: string) => ContextValue | undefined;
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

function arnLike(actual: string, expected: string): boolean {
  // ARNs match component by component (the resource part may contain ':').
  const a = actual.split(':');
  const e = expected.split(':');
  if (a.length < 6 || e.length < 6) return false;
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const [ah, eh] = [head(a), head(e)];
  return eh.every((part, index) => wildcardMatch(part, ah[index] as string));
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
  ArnEquals: (a, e) => arnLike(a, e),
  ArnLike: (a, e) => arnLike(a, e),
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

/**
 * One operator over one key: values of the policy are OR'ed; a missing key makes positive operators false,
 * negated ones true, `...IfExists` true, `ForAllValues` true and `ForAnyValue` false.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export function evaluateCondition(
  operatorName: string,
  key: string,
  expectedRaw: unknown,
  lookup: Lookup,
  substitute: (text: string, wildcardPattern: boolean) => string | undefined,
): boolean {
  const setMatch = /^(ForAnyValue|ForAllValues):/.exec(operatorName)?.[1];
  let operator = operatorName.replace(/^(ForAnyValue|ForAllValues):/, '');
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const negatedBase = NEGATED[operator];
  const wildcards = WILDCARD_OPERATORS.has(negatedBase ?? operator);
  const expected = ([] as unknown[])
    .concat(expectedRaw)
    .map((value) => substitute(String(value), wildcards))
    .filter((value): value is string => value !== undefined);
  const actual = values(lookup(key));
  if (operator === 'Null') {
    const wantsMissing = expected.some((value) => value.toLowerCase() === 'true');
    return wantsMissing ? actual === undefined : actual !== undefined;
  }
  const compare = OPERATORS[negatedBase ?? operator];
  if (!compare) return false;
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
}
