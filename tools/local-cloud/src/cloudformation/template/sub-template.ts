/** A piece of an `Fn::Sub` string: literal text, or a `${Name}` placeholder. */
export type SubPart = { kind: 'text'; text: string } | { kind: 'variable'; name: string };

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const LITERAL_MARK = '!';

/**
 * Splits an `Fn::Sub` string into text and placeholders. `${!Literal}` is text: CloudFormation writes it
 * as `${Literal}` (Fn::Sub reference, "String" parameter).
 */
export function parseSubTemplate(text: string): SubPart[] {
  const parts: SubPart[] = [];
  let textStart = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (match.index > textStart) parts.push({ kind: 'text', text: text.slice(textStart, match.index) });
    parts.push(
      name.startsWith(LITERAL_MARK)
        ? { kind: 'text', text: `\${${name.slice(LITERAL_MARK.length)}}` }
        : { kind: 'variable', name },
    );
    textStart = match.index + match[0].length;
  }
  if (textStart < text.length) parts.push({ kind: 'text', text: text.slice(textStart) });
  return parts;
}

/**
 * `${Logical.Attr}` names a resource attribute (the attribute may itself hold dots, as in
 * `${Db.Endpoint.Address}`); `${Name}` and `${AWS::Region}` do not.
 */
export function splitAttributeReference(name: string): { logicalId: string; attribute: string } | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  return { logicalId: name.slice(0, dot), attribute: name.slice(dot + 1) };
}
