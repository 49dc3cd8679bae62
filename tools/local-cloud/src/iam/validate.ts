import { isKnownOperator } from './conditions';

/** Problems of a policy document (empty = valid): the deployer and the identity seed refuse bad policies. */
export function validatePolicyDocument(
  document: unknown,
  kind: 'identity' | 'resource' | 'any' = 'any',
): string[] {
  const problems: string[] = [];
  if (document === null || typeof document !== 'object') return ['policy must be an object'];
  const statement = (document as { Statement?: unknown }).Statement;
  if (statement === undefined) return ['policy has no Statement'];
  const statements = Array.isArray(statement) ? statement : [statement];
  statements.forEach((raw: unknown, index) => {
    const where = `Statement[${index}]`;
    if (raw === null || typeof raw !== 'object') {
      problems.push(`${where} must be an object`);
      return;
    }
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push(`${where}.Effect must be Allow or Deny`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      problems.push(`${where} needs exactly one of Action or NotAction`);
    const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
    if (kind === 'identity' && hasPrincipal)
      problems.push(`${where}: identity policies cannot have Principal`);
    if (kind === 'resource' && !hasPrincipal) problems.push(`${where}: resource policies need a Principal`);
    for (const operator of Object.keys((s.Condition as Record<string, unknown> | undefined) ?? {})) {
      if (!isKnownOperator(operator)) problems.push(`${where}: unknown condition operator ${operator}`);
    }
  });
  return problems;
}
