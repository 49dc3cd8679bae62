import type { ContextValue } from './types';
import { LITERAL_ASTERISK, LITERAL_QUESTION_MARK } from './wildcard';

/**
 * Replaces policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`, and the
 * escapes `${*}`, `${?}`, `${$}`) with request values. Undefined when a variable has no value and no default:
 * that value then matches nothing. Only Version 2012-10-17 policies use variables. For a `wildcardPattern`,
 * `${*}` and `${?}` become the literal characters that `wildcardMatch` does not take for wildcards.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function substituteVariables(
  text: string,
  lookup: (key: string) => ContextValue | undefined,
  wildcardPattern = false,
): string | undefined {
  if (!text.includes('${')) return text;
  let unresolved = false;
  const result = text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner === '$') return inner;
    if (inner === '*') return wildcardPattern ? LITERAL_ASTERISK : inner;
    if (inner === '?') return wildcardPattern ? LITERAL_QUESTION_MARK : inner;
    const [key, fallback] = inner.split(',').map((part) => part.trim());
    const value = lookup(key as string);
    // A value is text, never a pattern: a `*` or `?` in it matches only itself.
    const literal = (text: string) =>
      wildcardPattern ? text.replaceAll('*', LITERAL_ASTERISK).replaceAll('?', LITERAL_QUESTION_MARK) : text;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return literal(String(value));
    const defaultMatch = fallback === undefined ? undefined : /^'(.*)'$/.exec(fallback);
    if (defaultMatch) return defaultMatch[1] as string;
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : result;
}
