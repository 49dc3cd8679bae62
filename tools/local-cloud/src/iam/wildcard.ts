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

/** IAM's `*` (any run of characters, `/` and `:` included) and `?` (one character) matching. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const text = literally(pattern);
    return ignoreCase ? text.toLowerCase() === value.toLowerCase() : text === value;
  }
  const key = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
      .replaceAll(LITERAL_ASTERISK, '\\*')
      .replaceAll(LITERAL_QUESTION_MARK, '\\?');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, regex);
  }
  return regex.test(value);
}
