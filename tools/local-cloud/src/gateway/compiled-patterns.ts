const compiled = new Map<string, RegExp>();

/**
 * A template's regular expression (IdentityValidationExpression, CORS origin patterns), compiled once: they are
 * checked on every request. Patterns come from deployed templates, so the map holds as many as were deployed.
 */
export function compiledPattern(source: string): RegExp {
  let pattern = compiled.get(source);
  if (!pattern) {
    pattern = new RegExp(source);
    compiled.set(source, pattern);
  }
  return pattern;
}
