/** Escapes text for an XML element body. */
export function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * `<Name>value</Name>` for each entry; nested objects become nested elements, arrays the Query protocol's
 * `<Name><member>...</member></Name>` lists; undefined entries are left out.
 */
export function xmlElements(values: Record<string, unknown>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      if (Array.isArray(value)) {
        const items = value.map((item) => `<member>${xmlElements(item as Record<string, unknown>)}</member>`);
        return `<${name}>${items.join('')}</${name}>`;
      }
      if (value !== null && typeof value === 'object') {
        return `<${name}>${xmlElements(value as Record<string, unknown>)}</${name}>`;
      }
      return `<${name}>${xmlEscape(String(value))}</${name}>`;
    })
    .join('');
}
