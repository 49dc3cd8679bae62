/** `Resources.Role` + `Properties` -> `Resources.Role.Properties`: the path errors show. */
export function propertyPath(at: string, key: string): string {
  return `${at}.${key}`;
}

/** `...Statement` + 0 -> `...Statement[0]`. */
export function indexPath(at: string, index: number): string {
  return `${at}[${index}]`;
}
