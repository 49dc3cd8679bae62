import { TemplateError } from './errors';
import type { CloudFormationTemplate, ResolutionContext } from './types';

/** Removed from objects and arrays wherever `{"Ref": "AWS::NoValue"}` resolves. */
const NO_VALUE = Symbol('AWS::NoValue');

interface Scope {
  ctx: ResolutionContext;
  template?: CloudFormationTemplate;
  conditions: Record<string, boolean>;
}

function pseudoParameter(name: string, ctx: ResolutionContext): string | typeof NO_VALUE | undefined {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
  switch (name) {
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::StackId':
      return ctx.stackId;
    case 'AWS::Partition':
      return ctx.partition ?? 'aws';
    case 'AWS::URLSuffix':
      return ctx.urlSuffix ?? 'amazonaws.com';
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function parameter(name: string, scope: Scope): string | undefined {
  const given = scope.ctx.parameters?.[name];
  if (given !== undefined) return given;
  const declared = scope.template?.Parameters?.[name];
  if (!declared) return undefined;
  if (declared.Default === undefined)
    throw new TemplateError(`Parameter ${name} has no value and no Default`, `Parameters.${name}`);
  return String(declared.Default);
}

function ref(name: string, scope: Scope, at: string): unknown {
  const pseudo = pseudoParameter(name, scope.ctx);
  if (pseudo !== undefined) return pseudo;
  const param = parameter(name, scope);
  if (param !== undefined) return param;
  const physical = scope.ctx.ref(name);
  if (physical === undefined)
    throw new TemplateError(`Ref to ${name}, which is not a parameter or a created resource`, at);
  return physical;
}

function getAtt(logicalId: string, attribute: string, scope: Scope, at: string): unknown {
  const value = scope.ctx.getAtt(logicalId, attribute);
  if (value === undefined)
    throw new TemplateError(`Fn::GetAtt ${logicalId}.${attribute} is not available`, at);
  return value;
}

function asString(value: unknown, fn: string, at: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${fn} expects a string, got ${JSON.stringify(value)}`, at);
}

function asArray(value: unknown, fn: string, at: string): unknown[] {
  if (!Array.isArray(value)) throw new TemplateError(`${fn} expects a list`, at);
  return value;
}

/** `${Name}`, `${Logical.Attr}`, `${AWS::Region}`, and `${!Literal}` for a literal `${Literal}`. */
function substitute(text: string, variables: Record<string, unknown>, scope: Scope, at: string): string {
  return text.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in variables) return asString(variables[name], 'Fn::Sub', at);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::'))
      return asString(getAtt(name.slice(0, dot), name.slice(dot + 1), scope, at), 'Fn::Sub', at);
    return asString(ref(name, scope, at), 'Fn::Sub', at);
  });
}

function condition(name: string, scope: Scope, at: string): boolean {
  if (!(name in scope.conditions)) throw new TemplateError(`Unknown condition ${name}`, at);
  return scope.conditions[name] as boolean;
}

type IntrinsicFn = (argument: unknown, scope: Scope, at: string) => unknown;

const INTRINSICS: Record<string, IntrinsicFn> = {
  Ref: (argument, scope, at) => ref(asString(argument, 'Ref', at), scope, at),
  'Fn::GetAtt': (argument, scope, at) => {
    const resolved = resolve(argument, scope, at);
    const [logicalId, ...attribute] =
      typeof resolved === 'string' ? resolved.split('.') : asArray(resolved, 'Fn::GetAtt', at).map(String);
    if (!logicalId || attribute.length === 0)
      throw new TemplateError('Fn::GetAtt expects [LogicalId, Attribute]', at);
    return getAtt(logicalId, attribute.join('.'), scope, at);
  },
  'Fn::Join': (argument, scope, at) => {
    const [delimiter, list] = asArray(argument, 'Fn::Join', at);
    const items = asArray(resolve(list, scope, at), 'Fn::Join', at);
    return items.map((item) => asString(item, 'Fn::Join', at)).join(asString(delimiter, 'Fn::Join', at));
  },
  'Fn::Sub': (argument, scope, at) => {
    if (typeof argument === 'string') return substitute(argument, {}, scope, at);
    const [text, variables] = asArray(argument, 'Fn::Sub', at);
    const resolvedVariables = (resolve(variables ?? {}, scope, at) ?? {}) as Record<string, unknown>;
    return substitute(asString(text, 'Fn::Sub', at), resolvedVariables, scope, at);
  },
  'Fn::ImportValue': (argument, scope, at) => {
    const name = asString(resolve(argument, scope, at), 'Fn::ImportValue', at);
    const value = scope.ctx.importValue(name);
    // CloudFormation's own message for a missing export.
    if (value === undefined) throw new TemplateError(`No export named ${name} found`, at);
    return value;
  },
  'Fn::Select': (argument, scope, at) => {
    const [index, list] = asArray(argument, 'Fn::Select', at);
    const items = asArray(resolve(list, scope, at), 'Fn::Select', at);
    const position = Number(resolve(index, scope, at));
    if (!Number.isInteger(position) || position < 0 || position >= items.length) {
      throw new TemplateError(`Fn::Select index ${position} out of range`, at);
    }
    return items[position];
  },
  'Fn::Split': (argument, scope, at) => {
    const [delimiter, text] = asArray(argument, 'Fn::Split', at);
    return asString(resolve(text, scope, at), 'Fn::Split', at).split(asString(delimiter, 'Fn::Split', at));
  },
  'Fn::If': (argument, scope, at) => {
    const [name, whenTrue, whenFalse] = asArray(argument, 'Fn::If', at);
    return resolve(condition(asString(name, 'Fn::If', at), scope, at) ? whenTrue : whenFalse, scope, at);
  },
  'Fn::Equals': (argument, scope, at) => {
    const [left, right] = asArray(argument, 'Fn::Equals', at).map((item) => resolve(item, scope, at));
    return JSON.stringify(left) === JSON.stringify(right);
  },
  'Fn::And': (argument, scope, at) =>
    asArray(argument, 'Fn::And', at).every((item) => resolve(item, scope, at) === true),
  'Fn::Or': (argument, scope, at) =>
    asArray(argument, 'Fn::Or', at).some((item) => resolve(item, scope, at) === true),
  'Fn::Not': (argument, scope, at) => resolve(asArray(argument, 'Fn::Not', at)[0], scope, at) !== true,
  Condition: (argument, scope, at) => condition(asString(argument, 'Condition', at), scope, at),
  'Fn::FindInMap': (argument, scope, at) => {
    const [map, top, second] = asArray(resolve(argument, scope, at), 'Fn::FindInMap', at).map((item) =>
      asString(item, 'Fn::FindInMap', at),
    );
    const value = scope.template?.Mappings?.[map as string]?.[top as string]?.[second as string];
    if (value === undefined) throw new TemplateError(`Fn::FindInMap ${map}.${top}.${second} not found`, at);
    return value;
  },
  'Fn::GetAZs': (argument, scope, at) => {
    const region = asString(resolve(argument, scope, at), 'Fn::GetAZs', at) || scope.ctx.region;
    return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
  },
  'Fn::Base64': (argument, scope, at) =>
    Buffer.from(asString(resolve(argument, scope, at), 'Fn::Base64', at)).toString('base64'),
};

function resolve(value: unknown, scope: Scope, at: string): unknown {
  if (Array.isArray(value)) {
    return value
      .map((item, index) => resolve(item, scope, `${at}[${index}]`))
      .filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, argument] = entries[0] as [string, unknown];
    const fn = INTRINSICS[key];
    if (fn) return fn(argument, scope, `${at}.${key}`);
    if (key.startsWith('Fn::')) throw new TemplateError(`Unsupported intrinsic function ${key}`, at);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolve(item, scope, `${at}.${key}`);
    if (resolved !== NO_VALUE) result[key] = resolved;
  }
  return result;
}

/** Resolves every intrinsic function in `value` (deeply); returns plain JSON. */
export function resolveValue(
  value: unknown,
  ctx: ResolutionContext,
  conditions: Record<string, boolean>,
  template?: CloudFormationTemplate,
  at = '$',
): unknown {
  const resolved = resolve(value, { ctx, conditions, template }, at);
  return resolved === NO_VALUE ? undefined : resolved;
}

/** Evaluates the template's Conditions (which may refer to each other). */
export function evaluateConditions(
  template: CloudFormationTemplate,
  ctx: ResolutionContext,
): Record<string, boolean> {
  const definitions = template.Conditions ?? {};
  const conditions: Record<string, boolean> = {};
  const evaluating = new Set<string>();
  const scope: Scope = {
    ctx,
    template,
    conditions: new Proxy(conditions, {
      has: (_target, name) => typeof name === 'string' && name in definitions,
      get: (_target, name) => evaluate(String(name)),
    }),
  };
  const evaluate = (name: string): boolean => {
    if (name in conditions) return conditions[name] as boolean;
    if (evaluating.has(name))
      throw new TemplateError(`Condition ${name} refers to itself`, `Conditions.${name}`);
    evaluating.add(name);
    conditions[name] = resolve(definitions[name], scope, `Conditions.${name}`) === true;
    return conditions[name] as boolean;
  };
  for (const name of Object.keys(definitions)) evaluate(name);
  return conditions;
}

/** The stack's outputs, resolved, with export names. Outputs whose Condition is false are left out. */
export function resolveOutputs(
  template: CloudFormationTemplate,
  ctx: ResolutionContext,
  conditions: Record<string, boolean>,
): Array<{ key: string; value: string; description?: string; exportName?: string }> {
  return Object.entries(template.Outputs ?? {})
    .filter(([, output]) => !output.Condition || conditions[output.Condition])
    .map(([key, output]) => {
      const at = `Outputs.${key}`;
      const scope: Scope = { ctx, template, conditions };
      const exportName = output.Export
        ? asString(resolve(output.Export.Name, scope, `${at}.Export.Name`), 'Export', at)
        : undefined;
      return {
        key,
        value: asString(resolve(output.Value, scope, `${at}.Value`), 'Output', at),
        ...(output.Description ? { description: output.Description } : {}),
        ...(exportName ? { exportName } : {}),
      };
    });
}
