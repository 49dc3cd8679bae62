import { compileCondition, type CompiledCondition, type Lookup } from './conditions';
import type {
  AuthorizationRequest,
  ContextValue,
  Decision,
  DecidingStatement,
  NamedPolicy,
  PolicyDocument,
  PolicyStatement,
  RequestPrincipal,
} from './types';
import { substituteVariables } from './variables';
import { resourceMatch, wildcardMatch } from './wildcard';

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : ([] as string[]).concat(value);

/**
 * The request context's global keys, then the caller's `context` over them. Principal keys as
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html sets them:
 * - anonymous callers: no aws:PrincipalArn, aws:username or aws:PrincipalTag ("Anonymous requests do not include
 *   this key"), but aws:PrincipalAccount "returns anonymous", and aws:PrincipalType and aws:userid are "included ...
 *   for all requests, including anonymous requests" (Anonymous, anonymous, as the table of
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html gives them). An older version
 *   of both pages said anonymous requests carry no aws:userid; this follows the current text.
 * - an AWS service principal: aws:PrincipalIsAWSService true and aws:PrincipalServiceName ("present in the request
 *   when the call is made by an AWS service principal"); the pages name no principal ARN, account, type or user id
 *   for one, so none is set.
 * - everyone else: aws:PrincipalIsAWSService false; no aws:username for roles or the root user.
 */
function contextLookup(request: AuthorizationRequest): Lookup {
  // Built on the first lookup: most evaluations (policies without conditions or variables) never make one.
  let lookup: Lookup | undefined;
  return (key) => (lookup ??= buildContextLookup(request))(key);
}

function buildContextLookup(request: AuthorizationRequest): Lookup {
  const { principal } = request;
  const keys = new Map<string, ContextValue>();
  const set = (key: string, value: ContextValue | undefined) =>
    value !== undefined && keys.set(key.toLowerCase(), value);
  if (principal.type === 'Anonymous') {
    set('aws:PrincipalAccount', 'anonymous');
    set('aws:PrincipalType', 'Anonymous');
    set('aws:userid', 'anonymous');
  } else if (principal.type === 'Service') {
    set('aws:PrincipalIsAWSService', true);
    set('aws:PrincipalServiceName', principal.arn);
  } else {
    set('aws:PrincipalIsAWSService', false);
    set('aws:PrincipalArn', principal.type === 'AssumedRole' ? principal.roleArn : principal.arn);
    set('aws:PrincipalAccount', principal.accountId);
    set('aws:PrincipalType', principal.type);
    if (principal.type === 'User') set('aws:username', principal.userName);
    // "AWS account root user: aws:userid = AWS account ID" (the policy-variables table).
    set('aws:userid', principal.type === 'Account' ? principal.accountId : principal.userId);
    for (const [tag, value] of Object.entries(principal.tags ?? {})) set(`aws:PrincipalTag/${tag}`, value);
  }
  const { now } = request;
  set('aws:CurrentTime', now.toISOString());
  set('aws:EpochTime', String(Math.floor(now.getTime() / 1000)));
  set('aws:SecureTransport', false);
  const lazy = new Map<string, () => ContextValue | undefined>();
  for (const [key, value] of Object.entries(request.context ?? {})) {
    if (typeof value === 'function') {
      keys.delete(key.toLowerCase());
      lazy.set(key.toLowerCase(), value);
    } else set(key, value);
  }
  if (lazy.size === 0) return (key) => keys.get(key.toLowerCase());
  return (key) => {
    const name = key.toLowerCase();
    const compute = lazy.get(name);
    if (compute) {
      lazy.delete(name);
      set(name, compute());
    }
    return keys.get(name);
  };
}

type ResourceTest = (arn: string, lookup: Lookup) => boolean;

/**
 * One Resource / NotResource entry. "You can use a policy variable in the Resource element, but only in the resource
 * portion of the ARN. This portion of the ARN appears after the fifth colon (:)": `${...}` before it is literal.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
function compileResource(pattern: string, variables: boolean): { test: ResourceTest; readsContext: boolean } {
  // The fifth colon of the ARN itself, not one inside a `${aws:...}` before it.
  let fifthColon = -1;
  let colons = 0;
  for (let index = 0; index < pattern.length && colons < 5; index++) {
    if (pattern.startsWith('${', index)) {
      const end = pattern.indexOf('}', index);
      if (end === -1) break;
      index = end;
    } else if (pattern[index] === ':' && ++colons === 5) fifthColon = index;
  }
  const head = fifthColon === -1 ? pattern : pattern.slice(0, fifthColon + 1);
  const tail = fifthColon === -1 ? '' : pattern.slice(fifthColon + 1);
  if (!variables || !tail.includes('${'))
    return { test: (arn) => resourceMatch(pattern, arn), readsContext: false };
  return {
    test: (arn, lookup) => {
      const resolved = substituteVariables(tail, lookup, true);
      return resolved !== undefined && resourceMatch(head + resolved, arn);
    },
    readsContext: true,
  };
}

/** A statement compiled once per policy document: what it matches, ready for any request. */
interface CompiledStatement {
  id: string;
  statement: PolicyStatement;
  /** Whether Action/NotAction, Resource/NotResource and Condition all match the request. */
  applies: (request: AuthorizationRequest, lookup: Lookup) => boolean;
  /** Whether `applies` reads the request context (a condition, or a policy variable in a resource). */
  readsContext: boolean;
}

function compileStatement(statement: PolicyStatement, id: string, variables: boolean): CompiledStatement {
  const actions = list(statement.Action);
  const notActions = list(statement.NotAction);
  const compiledResources = list(statement.Resource).map((pattern) => compileResource(pattern, variables));
  const compiledNotResources = list(statement.NotResource).map((pattern) =>
    compileResource(pattern, variables),
  );
  const resources = compiledResources.map((resource) => resource.test);
  const notResources = compiledNotResources.map((resource) => resource.test);
  const conditions: CompiledCondition[] = [];
  for (const [operator, entries] of Object.entries(statement.Condition ?? {}))
    for (const [key, expected] of Object.entries(entries))
      conditions.push(compileCondition(operator, key, expected, variables));
  const actionMatch = (action: string) => (pattern: string) => wildcardMatch(pattern, action, true);
  return {
    id,
    statement,
    applies: (request, lookup) => {
      if (statement.Action !== undefined && !actions.some(actionMatch(request.action))) return false;
      if (statement.NotAction !== undefined && notActions.some(actionMatch(request.action))) return false;
      const anyResource = (tests: ResourceTest[]) => tests.some((test) => test(request.resource, lookup));
      if (statement.Resource !== undefined && !anyResource(resources)) return false;
      if (statement.NotResource !== undefined && anyResource(notResources)) return false;
      return conditions.every((condition) => condition(lookup));
    },
    readsContext:
      conditions.length > 0 ||
      [...compiledResources, ...compiledNotResources].some((resource) => resource.readsContext),
  };
}

/** A policy document compiled once: its statements, and what a decision on it can depend on. */
interface CompiledPolicy {
  /** A number never given to another document: part of the decision memo's keys. */
  id: number;
  statements: CompiledStatement[];
  /**
   * No statement reads the request context (no condition, no policy variable in a Resource/NotResource): every
   * decision on this document follows from the principal, action, resource and the policies alone, never from the
   * request's context or time.
   */
  contextFree: boolean;
}

const compiledPolicies = new WeakMap<PolicyDocument, CompiledPolicy>();
let lastPolicyId = 0;

/** Freezes every object reachable from `value`, also inside objects that were frozen only at their top level. */
function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child, seen);
  return value;
}

/**
 * A policy, compiled on first use and kept for as long as the document lives (a role's policies live as long as the
 * role: no per-request parsing). A change of policy is a new document.
 */
function compiled(policy: NamedPolicy): CompiledPolicy {
  let entry = compiledPolicies.get(policy.document);
  if (!entry) {
    // Frozen from here on: a document changed in place would leave its compiled statements (and remembered
    // decisions) stale, so any such change now throws where it is made instead.
    deepFreeze(policy.document);
    // "If you do not include [Version 2012-10-17], ... variables such as ${aws:username} aren't recognized as
    // variables and are instead treated as literal strings in the policy."
    const variables = policy.document.Version === '2012-10-17';
    const statements = ([] as PolicyStatement[])
      .concat(policy.document.Statement ?? [])
      .map((statement, index) =>
        compileStatement(statement, statement.Sid ?? `Statement[${index}]`, variables),
      );
    entry = {
      id: (lastPolicyId += 1),
      statements,
      contextFree: !statements.some((statement) => statement.readsContext),
    };
    compiledPolicies.set(policy.document, entry);
  }
  return entry;
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

function evaluatePolicies(
  policies: NamedPolicy[],
  request: AuthorizationRequest,
  lookup: Lookup,
  isResourcePolicy: boolean,
): StatementMatch[] {
  const found: StatementMatch[] = [];
  for (const policy of policies) {
    for (const { statement, id, applies } of compiled(policy).statements) {
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
      if (!applies(request, lookup)) continue;
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
  const key = decisionKey(request);
  if (key === undefined) return evaluate(request);
  const known = decisions.get(key);
  if (known) return known;
  // Frozen: one decision object answers every request with this key.
  const decision = deepFreeze(evaluate(request));
  if (decisions.size >= MAX_DECISIONS) {
    // The oldest goes first (a Map keeps insertion order).
    const oldest = decisions.keys().next();
    if (!oldest.done) decisions.delete(oldest.value);
  }
  decisions.set(key, decision);
  return decision;
}

/**
 * Decisions already made on context-free policies. Such a decision is the same for the same principal, action,
 * resource and policies every time, so a caller that signs hundreds of requests to one route has its policies
 * evaluated once: every signed request to the gateway, DynamoDB, STS, ... asks the engine. Any policy with a Condition
 * or a variable makes the request's decision be worked out afresh (its keys, aws:SourceIp, aws:CurrentTime, tags,
 * can change from request to request). Bounded: at most 4,096 decisions, the oldest dropped first, and none for
 * a request whose key is longer than 2,048 characters (a gateway path can be ~10 KB: such requests are decided
 * afresh rather than let anyone fill the memory with them).
 */
const decisions = new Map<string, Decision>();
const MAX_DECISIONS = 4096;
const MAX_KEY_LENGTH = 2048;

/**
 * Length-prefixed, so that no two different requests share a key whatever their strings contain; an absent value
 * is `-`, never the empty string's `0:`.
 */
const field = (text: string | undefined) => (text === undefined ? '-' : `${text.length}:${text}`);

/** The memo key of a request on context-free policies only; undefined when any policy depends on the context. */
function decisionKey(request: AuthorizationRequest): string | undefined {
  const { principal } = request;
  let key =
    field(principal.type) +
    field(principal.arn) +
    field(principal.accountId) +
    field(principal.roleArn) +
    field(request.action) +
    field(request.resource) +
    field(request.resourceAccountId);
  const add = (kind: string, policies: readonly NamedPolicy[]): boolean => {
    key += `${kind}${policies.length};`;
    for (const policy of policies) {
      const { id, contextFree } = compiled(policy);
      if (!contextFree) return false;
      key += `${id};${field(policy.name)}`;
    }
    return true;
  };
  if (!add('i', request.identityPolicies)) return undefined;
  // No session policies (a user, a role session without any) and an empty list are different requests.
  if (request.sessionPolicies !== undefined && !add('s', request.sessionPolicies)) return undefined;
  if (request.resourcePolicy !== undefined && !add('r', [request.resourcePolicy])) return undefined;
  return key.length <= MAX_KEY_LENGTH ? key : undefined;
}

function evaluate(request: AuthorizationRequest): Decision {
  const lookup = contextLookup(request);
  const identity = evaluatePolicies(request.identityPolicies, request, lookup, false);
  const resource = request.resourcePolicy
    ? evaluatePolicies([request.resourcePolicy], request, lookup, true)
    : [];
  const session = request.sessionPolicies
    ? evaluatePolicies(request.sessionPolicies, request, lookup, false)
    : undefined;
  const isDeny = (match: StatementMatch) => match.effect === 'Deny';
  const denies = [...identity, ...resource, ...(session ?? [])].filter(isDeny).map((match) => match.ref);
  const subject = `${request.principal.arn} -> ${request.action} on ${request.resource}`;
  if (denies.length > 0) {
    return {
      allowed: false,
      kind: 'ExplicitDeny',
      decidedBy: denies,
      policyType: identity.some(isDeny)
        ? 'identity-based'
        : resource.some(isDeny)
          ? 'resource-based'
          : 'session',
      explanation: `${subject}: explicit deny by ${describe(denies)}`,
    };
  }
  const sameAccount = request.principal.accountId === request.resourceAccountId;
  // "You must use credentials for an IAM user or an IAM role to call AssumeRole. You cannot use AWS account root
  // user credentials" (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). Otherwise "all
  // requests are implicitly denied with the exception of the AWS account root user, which has full access"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
  // only an explicit deny (above; or an SCP, not modelled) limits it. In another account, that full access is its
  // identity side: the other account's resource policy must allow it too.
  const root = request.principal.type === 'Account';
  if (root && /^sts:AssumeRole/i.test(request.action))
    return {
      allowed: false,
      kind: 'ImplicitDeny',
      decidedBy: [],
      policyType: 'identity-based',
      explanation: `${subject}: the root user cannot assume roles (use an IAM user or role)`,
    };
  if (root && sameAccount) {
    return {
      allowed: true,
      kind: 'Allow',
      decidedBy: [],
      explanation: `${subject}: allowed: the account's root user has full access within its own account`,
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
  } else if ((identityAllows.length > 0 || root) && resourceAllows.length > 0) {
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
  let policyType: Decision['policyType'] = 'identity-based';
  if (sessionAllows?.length === 0) {
    why = 'the session policy does not allow it (implicit deny)';
    policyType = 'session';
  }
  if (anonymous) {
    why = 'no resource-policy statement allows anonymous access (implicit deny)';
    policyType = 'resource-based';
  } else if (!sameAccount) {
    why = `cross-account access needs an allow in both the ${allows}`;
    if (identityAllows.length > 0) policyType = 'resource-based';
  } else if (trustPolicy) {
    why = `a role trust policy must allow the principal itself, or allow its account with an allow in the identity policy too: ${allows}`;
    if (identityAllows.length > 0) policyType = 'resource-based';
  }
  return {
    allowed: false,
    kind: 'ImplicitDeny',
    decidedBy: [],
    policyType,
    explanation: `${subject}: ${why}`,
  };
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

/**
 * AWS's access-denied text with its reason, as DynamoDB, Cognito and most newer APIs return it: "... because no
 * identity-based policy allows the <action> action", "... with an explicit deny in an identity-based policy", and the
 * resource-based and session-policy variants.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resource: string,
  decision: Pick<Decision, 'kind' | 'policyType'>,
): string {
  const base = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  const type = decision.policyType ?? 'identity-based';
  if (decision.kind === 'ExplicitDeny')
    return `${base} with an explicit deny in ${type === 'identity-based' ? 'an' : 'a'} ${type === 'session' ? 'session' : type} policy`;
  return `${base} because no ${type === 'session' ? 'session' : type} policy allows the ${action} action`;
}
