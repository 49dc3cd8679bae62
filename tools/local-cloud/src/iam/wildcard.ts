const compiled = new Map<string, RegExp>();

/**
 * What the `${*}` and `${?}` policy variables become in a pattern: a literal `*` and `?`, not wildcards
 * (Unicode private-use characters, which no ARN or context value contains).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export const LITERAL_ASTERISK = '\uE000';
export const LITERAL_QUESTION_MARK = '\uE001';

const literally = (pattern: string) =>
  pattern.replaceAll(LITERAL_ASTERISK, '*').replaceAll(LITERAL_QUESTION_MARK, '?');

const escapeRegex = (char: string) => (/[.+^${}()|[\]\\*?]/.test(char) ? `\\${char}` : char);

type Dialect = 'string' | 'arn';

/**
 * The regex of a pattern. `string` (actions, StringLike): `*` is any run of characters, `?` one character.
 * `arn` (the Resource element): "You can use wildcard characters (* and ?) within any ARN segment (the parts
 * separated by colons)" and "If the * wildcard is the last character of a resource ARN segment, it can expand to
 * match beyond the colon boundaries": so `*` and `?` stay within a segment, except a `*` that ends one.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
function regexOf(pattern: string, dialect: Dialect, ignoreCase: boolean): RegExp {
  const key = `${dialect}${ignoreCase ? 'i' : 's'}:${pattern}`;
  let regex = compiled.get(key);
  if (regex) return regex;
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '*') {
      const endsSegment = index === pattern.length - 1 || pattern[index + 1] === ':';
      source += dialect === 'string' || endsSegment ? '.*' : '[^:]*';
    } else if (char === '?') source += dialect === 'string' ? '.' : '[^:]';
    else if (char === LITERAL_ASTERISK) source += '\\*';
    else if (char === LITERAL_QUESTION_MARK) source += '\\?';
    else source += escapeRegex(char);
  }
  regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(key, regex);
  return regex;
}

const hasWildcard = (pattern: string) => pattern.includes('*') || pattern.includes('?');

/** IAM's `*` (any run of characters, `/` and `:` included) and `?` (one character) matching: actions, StringLike. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!hasWildcard(pattern)) {
    const text = literally(pattern);
    return ignoreCase ? text.toLowerCase() === value.toLowerCase() : text === value;
  }
  return regexOf(pattern, 'string', ignoreCase).test(value);
}

/** A Resource or NotResource entry against a resource ARN, with the segment rules of `regexOf`'s `arn`. */
export function resourceMatch(pattern: string, arn: string): boolean {
  if (!hasWildcard(pattern)) return literally(pattern) === arn;
  return regexOf(pattern, 'arn', false).test(arn);
}

/** The five `:`-separated components of an ARN before its resource part, and the resource part (which may hold `:`). */
export function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * ArnLike / ArnEquals: "Each of the six colon-delimited components of the ARN is checked separately and each can
 * include multi-character match wildcards (*) or single-character match wildcards (?)."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnLikeMatch(pattern: string, arn: string): boolean {
  const expected = arnComponents(pattern);
  const actual = arnComponents(arn);
  if (!expected || !actual) return false;
  return expected.every((part, index) => wildcardMatch(part, actual[index] as string));
}
