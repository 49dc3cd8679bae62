/**
 * A template that cannot be resolved. `path` says where, in the template's own terms
 * (`Resources.Role.Properties.Policies[0].PolicyName.Fn::Join`), so a user can find the line to fix.
 */
export class TemplateError extends Error {
  public constructor(
    message: string,
    public readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${message} (at ${path})`, options);
    this.name = 'TemplateError';
  }
}

/** An `Fn::*` this resolver does not implement (`Fn::Cidr`, `Fn::Transform`, ...). */
export class UnsupportedFunctionError extends TemplateError {
  public constructor(
    public readonly functionName: string,
    path: string,
    options?: ErrorOptions,
  ) {
    super(`Unsupported intrinsic function ${functionName}`, path, options);
    this.name = 'UnsupportedFunctionError';
  }
}

/** An intrinsic function given arguments of the wrong shape (`Fn::Join` without a list, ...). */
export class InvalidFunctionArgumentError extends TemplateError {
  public constructor(
    public readonly functionName: string,
    message: string,
    path: string,
    options?: ErrorOptions,
  ) {
    super(`${functionName} ${message}`, path, options);
    this.name = 'InvalidFunctionArgumentError';
  }
}

/** A Ref, Fn::GetAtt or dependency naming a logical id that is unknown or not created (yet). */
export class UnresolvedReferenceError extends TemplateError {
  public constructor(
    public readonly logicalId: string,
    message: string,
    path: string,
    options?: ErrorOptions,
  ) {
    super(message, path, options);
    this.name = 'UnresolvedReferenceError';
  }
}

/** `Fn::ImportValue` of a name no other stack exports; the message is CloudFormation's own. */
export class MissingExportError extends TemplateError {
  public constructor(
    public readonly exportName: string,
    path: string,
    options?: ErrorOptions,
  ) {
    super(`No export named ${exportName} found`, path, options);
    this.name = 'MissingExportError';
  }
}

/** A template parameter with no value given and no Default, or a value outside its AllowedValues. */
export class ParameterValueError extends TemplateError {
  public constructor(
    public readonly parameterName: string,
    message: string,
    path: string,
    options?: ErrorOptions,
  ) {
    super(message, path, options);
    this.name = 'ParameterValueError';
  }
}

/** A condition name that the Conditions section does not define, or a condition that is not a boolean. */
export class ConditionError extends TemplateError {
  public constructor(
    public readonly conditionName: string,
    message: string,
    path: string,
    options?: ErrorOptions,
  ) {
    super(message, path, options);
    this.name = 'ConditionError';
  }
}

/** Resources (or conditions) that depend on each other in a loop; `cycle` lists the loop in order. */
export class CircularDependencyError extends TemplateError {
  public constructor(
    public readonly cycle: string[],
    path: string,
    options?: ErrorOptions,
  ) {
    super(`Circular dependency between resources: [${cycle.join(', ')}]`, path, options);
    this.name = 'CircularDependencyError';
  }
}
