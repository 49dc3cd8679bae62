/** Test support: every string over `alphabet` of length 0 to `maxLength` (exhaustive checks of small inputs). */
export function everyString(alphabet: readonly string[], maxLength: number): string[] {
  let strings = [''];
  const all = [''];
  for (let length = 1; length <= maxLength; length += 1) {
    strings = strings.flatMap((prefix) => alphabet.map((char) => prefix + char));
    all.push(...strings);
  }
  return all;
}
