import { evaluateCondition } from './conditions';
import type {
  AuthorizationRequest,
  ContextValue,
  Decision,
  DecidingStatement,
  NamedPolicy,
  PolicyStatement,
  RequestPrincipal,
} from './types';
import { substituteVariables } from './variables';
import { wildcardMatch } from './wildcard';

type Lookup = (key: string) => ContextValue | undefined;

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : ([] as string[]).concat(value);

function statementsOf(policy: NamedPolicy): Array<{ statement: PolicyStatement; id: string }> {
  const statements = ([] as PolicyStatement[]).concat(policy.document.Statement ?? []);
  return statements.map((statement, index) => ({ statement, id: statement.Sid ?? `Statement[${index}]` }));
}

/** Global condition keys of the request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). */
function contextLookup(request: AuthorizationRequest): Lookup {
  const { principal } = request;
  const keys = new Map<string, ContextValue>();
  const set = (key: string, value: ContextValue | undefined) =>
    value !== undefined && keys.set(key.toLowerCase(), value);
  // An anonymous request has no principal ARN or account: AWS leaves those keys out (so `Null` is true for them).
  if (principal.type !== 'Anonymous') {
    set('aws:PrincipalArn', principal.type === 'AssumedRole' ? principal.roleArn : principal.arn);
    set('aws:PrincipalAccount', principal.accountId);
  }
  set('aws:PrincipalType', principal.type);
  if (principal.type === 'User') set('aws:username', principal.userName);
  set('aws:userid', principal.userId);
  for (const [tag, value] of Object.entries(principal.tags ?? {})) set(`aws:PrincipalTag/${tag}`, value);
  const now = new Date();
  set('aws:CurrentTime', now.toISOString());
  set('aws:EpochTime', String(Math.floor(now.getTime() / 1000)));
  set('aws:SecureTransport', false);
  for (const [key, value] of Object.entries(request.context ?? {})) set(key, value);
  return (key) => keys.get(key.toLowerCase());
}

/**
 * How a resource-policy principal element matched: `specific` grants alone, `account` delegates to IAM,
 * `session` is `specific` naming the role session's own ARN (which session policies do not limit).
 */
type PrincipalMatch = 'specific' | 'session' | 'account' | undefined;

function matchPrincipalElement(
  element: PolicyStatement['Principal'],
  principal: RequestPrincipal,
): PrincipalMatch {
  if (element === undefined) return undefined;
  if (element === '*') return 'specific';
  let best: PrincipalMatch;
  for (const [kind, raw] of Object.entries(element)) {
    for (const value of list(raw)) {
      if (kind === 'Service') {
        if (principal.type === 'Service' && value === principal.arn) return 'specific';
      } else if (kind === 'AWS') {
        if (value === '*') return 'specific';
        if (principal.type === 'Service') continue;
        if (value === principal.arn) return principal.type === 'AssumedRole' ? 'session' : 'specific';
        if (principal.roleArn !== undefined && value === principal.roleArn) return 'specific';
        if (value === principal.accountId || value === `arn:aws:iam::${principal.accountId}:root`)
          best = 'account';
      }
    }
  }
  return best;
}

/**
 * Whether a NotPrincipal element names the caller, so that its statement does not apply to them. AWS may check
 * the caller's account, then (for a role session) the role, then the caller: each must be listed, or the
 * statement applies ("you must also specify the account ARN of the not-denied principal").
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
function excludedByNotPrincipal(
  element: NonNullable<PolicyStatement['NotPrincipal']>,
  principal: RequestPrincipal,
): boolean {
  if (element === '*') return true;
  const aws = list(element['AWS']);
  if (aws.includes('*')) return true;
  if (principal.type === 'Service') return list(element['Service']).includes(principal.arn);
  const accountListed =
    aws.includes(principal.accountId) || aws.includes(`arn:aws:iam::${principal.accountId}:root`);
  const roleListed =
    principal.type !== 'AssumedRole' || (principal.roleArn !== undefined && aws.includes(principal.roleArn));
  return accountListed && roleListed && (principal.type === 'Account' || aws.includes(principal.arn));
}

interface StatementMatch {
  effect: 'Allow' | 'Deny';
  ref: DecidingStatement;
  principalMatch?: PrincipalMatch;
}

function matches(
  statement: PolicyStatement,
  request: AuthorizationRequest,
  lookup: Lookup,
  variables: boolean,
): boolean {
  const substitute = (text: string, wildcardPattern: boolean) =>
    variables ? substituteVariables(text, lookup, wildcardPattern) : text;
  const actionMatch = (pattern: string) => wildcardMatch(pattern, request.action, true);
  if (statement.Action !== undefined && !list(statement.Action).some(actionMatch)) return false;
  if (statement.NotAction !== undefined && list(statement.NotAction).some(actionMatch)) return false;
  const resourceMatch = (pattern: string) => {
    const resolved = substitute(pattern, true);
    return resolved !== undefined && wildcardMatch(resolved, request.resource);
  };
  if (statement.Resource !== undefined && !list(statement.Resource).some(resourceMatch)) return false;
  if (statement.NotResource !== undefined && list(statement.NotResource).some(resourceMatch)) return false;
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      if (!evaluateCondition(operator, key, expected, lookup, substitute)) return false;
    }
  }
  return true;
}

function evaluatePolicies(
  policies: NamedPolicy[],
  request: AuthorizationRequest,
  lookup: Lookup,
  isResourcePolicy: boolean,
): StatementMatch[] {
  const found: StatementMatch[] = [];
  for (const policy of policies) {
    const variables = policy.document.Version === '2012-10-17';
    for (const { statement, id } of statementsOf(policy)) {
      let principalMatch: PrincipalMatch;
      if (isResourcePolicy) {
        if (statement.NotPrincipal !== undefined) {
          if (excludedByNotPrincipal(statement.NotPrincipal, request.principal)) continue;
          principalMatch = 'specific';
        } else {
          principalMatch = matchPrincipalElement(statement.Principal, request.principal);
          if (!principalMatch) continue;
        }
      }
      if (!matches(statement, request, lookup, variables)) continue;
      found.push({ effect: statement.Effect, ref: { policy: policy.name, statement: id }, principalMatch });
    }
  }
  return found;
}

const describe = (refs: DecidingStatement[]) =>
  refs.map((ref) => `statement ${ref.statement} of ${ref.policy}`).join(', ');

/**
 * AWS's policy evaluation logic: an explicit Deny in any policy wins; then, in the same account, an Allow
 * in the identity policies OR the resource policy; across accounts, an Allow in BOTH. A resource-policy
 * Allow that names only the account (root) delegates to IAM, so the identity policy must allow too.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function authorize(request: AuthorizationRequest): Decision {
  const lookup = contextLookup(request);
  const identity = evaluatePolicies(request.identityPolicies, request, lookup, false);
  const resource = request.resourcePolicy
    ? evaluatePolicies([request.resourcePolicy], request, lookup, true)
    : [];
  const session = request.sessionPolicies
    ? evaluatePolicies(request.sessionPolicies, request, lookup, false)
    : undefined;
  const denies = [...identity, ...resource, ...(session ?? [])]
    .filter((match) => match.effect === 'Deny')
    .map((match) => match.ref);
  const subject = `${request.principal.arn} -> ${request.action} on ${request.resource}`;
  if (denies.length > 0) {
    return {
      allowed: false,
      kind: 'ExplicitDeny',
      decidedBy: denies,
      explanation: `${subject}: explicit deny by ${describe(denies)}`,
    };
  }
  // "The permissions for a session are the intersection of the identity-based policies for the IAM entity ...
  // and the session policies. ... A resource-based policy can specify the ARN of the session as a principal. ...
  // The resource-based policy permissions are not limited by the session policy."
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session). A resource policy
  // naming the role or the account is limited, as the docs' newer wording says ("the intersection of the session
  // policies and the resource-based policies").
  const sessionAllows = session?.filter((match) => match.effect === 'Allow');
  const sessionPermits = sessionAllows === undefined || sessionAllows.length > 0;
  const identityAllows = sessionPermits ? identity.filter((match) => match.effect === 'Allow') : [];
  const resourceAllows = resource.filter(
    (match) => match.effect === 'Allow' && (sessionPermits || match.principalMatch === 'session'),
  );
  const sameAccount = request.principal.accountId === request.resourceAccountId;
  const anonymous = request.principal.type === 'Anonymous';
  const resourceGrantsAlone = resourceAllows.filter(
    (match) => match.principalMatch === 'specific' || match.principalMatch === 'session',
  );
  // "IAM role trust policies and KMS key policies are exceptions to this logic, because they must explicitly
  // allow access for principals": an identity-policy allow alone does not let anyone assume a role.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
  const trustPolicy = request.resourcePolicy !== undefined && /^sts:AssumeRole/i.test(request.action);
  let deciding: StatementMatch[] = [];
  if (anonymous) {
    // No identity policies and no account: only a resource policy allowing "*" (public access) allows.
    deciding = resourceGrantsAlone;
  } else if (sameAccount && !trustPolicy) {
    deciding = identityAllows.length > 0 ? identityAllows : resourceGrantsAlone;
  } else if (sameAccount && resourceGrantsAlone.length > 0) {
    deciding = resourceGrantsAlone;
  } else if (identityAllows.length > 0 && resourceAllows.length > 0) {
    deciding = [...identityAllows, ...resourceAllows];
  }
  if (deciding.length > 0) {
    const refs = deciding.map((match) => match.ref);
    if (sessionAllows && deciding.some((match) => match.principalMatch !== 'session'))
      refs.push(...sessionAllows.map((match) => match.ref));
    return {
      allowed: true,
      kind: 'Allow',
      decidedBy: refs,
      explanation: `${subject}: allowed by ${describe(refs)}`,
    };
  }
  const yesNo = (found: StatementMatch[]) => (found.length > 0 ? 'yes' : 'no');
  const allows = `identity policy (${yesNo(identityAllows)}) and the resource policy (${yesNo(resourceAllows)})`;
  let why = 'no identity-policy statement allows it (implicit deny)';
  if (sessionAllows?.length === 0) why = 'the session policy does not allow it (implicit deny)';
  if (anonymous) why = 'no resource-policy statement allows anonymous access (implicit deny)';
  else if (!sameAccount) why = `cross-account access needs an allow in both the ${allows}`;
  else if (trustPolicy)
    why = `a role trust policy must allow the principal itself, or allow its account with an allow in the identity policy too: ${allows}`;
  return { allowed: false, kind: 'ImplicitDeny', decidedBy: [], explanation: `${subject}: ${why}` };
}

/**
 * AWS's refusal text for a denied request: "User: <arn> is not authorized to perform: <action> on resource:
 * <arn>", ending "with an explicit deny" when a Deny decided (API Gateway's AccessDeniedException wording).
 */
export function notAuthorizedMessage(
  principalArn: string,
  action: string,
  resource: string,
  decision: Pick<Decision, 'kind'>,
): string {
  const explicit = decision.kind === 'ExplicitDeny' ? ' with an explicit deny' : '';
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}${explicit}`;
}
