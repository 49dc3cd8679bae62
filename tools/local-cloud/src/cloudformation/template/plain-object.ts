/** A JSON object (not an array, not null): the only shape that can hold properties or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of `{"Fn::Join": [...]}`-like objects; undefined for any other shape. */
export function singleKey(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 ? keys[0] : undefined;
}
