import { isKnownOperator } from './conditions';

/**
 * Which policy a document is: an identity policy (no Principal, a Resource), a resource policy (a Principal and a
 * Resource), or a role's trust policy (a Principal, no Resource: "Has prohibited field Resource").
 */
export type PolicyKind = 'identity' | 'resource' | 'trust';

/**
 * Problems of a policy document (empty = valid): the deployer, the identity seed, STS and the gateway refuse bad
 * policies as IAM's validator does.
 * - "Statements must include either a Resource or a NotResource element" (identity and resource policies;
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * - "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported", and "You cannot
 *   use the NotPrincipal element in an IAM identity-based policy nor in an IAM role trust policy"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html; older versions
 *   only "strongly recommend[ed]" against Allow, which grants everyone not listed, anonymous callers included).
 */
export function validatePolicyDocument(document: unknown, kind: PolicyKind): string[] {
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
    const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
    if (s.Principal !== undefined && s.NotPrincipal !== undefined)
      problems.push(`${where} cannot have both Principal and NotPrincipal`);
    if (s.Resource !== undefined && s.NotResource !== undefined)
      problems.push(`${where} cannot have both Resource and NotResource`);
    if (kind === 'identity' && hasPrincipal)
      problems.push(`${where}: identity policies cannot have Principal`);
    if (kind !== 'identity' && !hasPrincipal) problems.push(`${where}: ${kind} policies need a Principal`);
    if (kind === 'trust' && hasResource)
      problems.push(
        `${where}: a role trust policy cannot have Resource or NotResource (the role is the resource)`,
      );
    if (kind !== 'trust' && !hasResource) problems.push(`${where} needs a Resource or NotResource element`);
    if (kind === 'trust' && s.NotPrincipal !== undefined)
      problems.push(`${where}: a role trust policy cannot use NotPrincipal`);
    else if (s.NotPrincipal !== undefined && s.Effect === 'Allow')
      problems.push(`${where}: NotPrincipal with "Effect": "Allow" is refused: use it only with Deny`);
    // "You cannot use a wildcard to match part of a principal name or ARN": only "*" alone.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
    for (const element of [s.Principal, s.NotPrincipal]) {
      if (element === null || typeof element !== 'object') continue;
      for (const value of Object.values(element as Record<string, unknown>).flat())
        if (typeof value === 'string' && value !== '*' && /[*?]/.test(value))
          problems.push(
            `${where}: a principal cannot contain a wildcard (${value}): name it, or use "*" alone`,
          );
    }
    for (const operator of Object.keys((s.Condition as Record<string, unknown> | undefined) ?? {})) {
      if (!isKnownOperator(operator)) problems.push(`${where}: unknown condition operator ${operator}`);
    }
  });
  return problems;
}
