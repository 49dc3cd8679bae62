import { ParameterValueError } from './errors';
import { propertyPath } from './paths';
import type { CloudFormationTemplate, TemplateParameter } from './types';

const PARAMETERS_SECTION = 'Parameters';

function declaration(
  template: CloudFormationTemplate | undefined,
  name: string,
): TemplateParameter | undefined {
  const parameters = template?.Parameters;
  return parameters && Object.hasOwn(parameters, name) ? parameters[name] : undefined;
}

/** `CommaDelimitedList` and `List<...>` parameters are lists for Ref; every other type is a string. */
function isListType(type: string | undefined): boolean {
  return type === 'CommaDelimitedList' || (type?.startsWith('List<') ?? false);
}

function rawValue(
  name: string,
  declared: TemplateParameter | undefined,
  given: Record<string, string> | undefined,
): string | undefined {
  if (given && Object.hasOwn(given, name)) return given[name];
  return declared?.Default === undefined ? undefined : String(declared.Default);
}

/**
 * The value `Ref` gives for a template parameter: the value given, else the Default. Undefined when
 * `name` is not a parameter. A declared parameter with neither, or with a value outside its
 * AllowedValues, is an error with CloudFormation's own wording.
 */
export function parameterValue(
  name: string,
  template: CloudFormationTemplate | undefined,
  given: Record<string, string> | undefined,
): string | string[] | undefined {
  const declared = declaration(template, name);
  const value = rawValue(name, declared, given);
  if (!declared) return value;
  const at = propertyPath(PARAMETERS_SECTION, name);
  if (value === undefined) throw new ParameterValueError(name, `Parameters: [${name}] must have values`, at);
  if (declared.AllowedValues && !declared.AllowedValues.map(String).includes(value)) {
    throw new ParameterValueError(name, `Parameter '${name}' must be one of AllowedValues`, at);
  }
  // Members of a list parameter are space trimmed (Parameters section structure, CommaDelimitedList).
  return isListType(declared.Type) ? value.split(',').map((member) => member.trim()) : value;
}

/**
 * Fails before anything is created when a parameter has no value, a value it does not allow, or a value
 * is given for a parameter the template does not declare - as CloudFormation does before CreateStack.
 */
export function checkParameters(
  template: CloudFormationTemplate,
  given: Record<string, string> | undefined,
): void {
  const declared = template.Parameters ?? {};
  const undeclared = Object.keys(given ?? {}).filter((name) => !Object.hasOwn(declared, name));
  if (undeclared.length > 0) {
    throw new ParameterValueError(
      undeclared[0] as string,
      `Parameters: [${undeclared.join(', ')}] do not exist in the template`,
      PARAMETERS_SECTION,
    );
  }
  for (const name of Object.keys(declared)) parameterValue(name, template, given);
}
