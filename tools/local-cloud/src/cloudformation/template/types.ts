/** One entry of a template's `Resources` section. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  /** Name of a template condition; the resource is created only when it is true. */
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

/** One entry of a template's `Parameters` section. */
export interface TemplateParameter {
  Type?: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  Description?: string;
}

/** One entry of a template's `Outputs` section. */
export interface TemplateOutput {
  Value: unknown;
  Description?: string;
  Export?: { Name: unknown };
  Condition?: string;
}

/** The JSON template `serverless package` writes (`cloudformation-template-update-stack.json`). */
export interface CloudFormationTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, TemplateParameter>;
  /** `Fn::FindInMap` looks values up here: map name -> top-level key -> second-level key -> value. */
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

/** What the deployer knows while it creates a stack: the account, the stack, and what exists so far. */
export interface ResolutionContext {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  /** `AWS::Partition`; `aws` when left out. */
  partition?: string;
  /** `AWS::URLSuffix`; `amazonaws.com` when left out. */
  urlSuffix?: string;
  /** Values given for the template's Parameters; a missing one takes its Default. */
  parameters?: Record<string, string>;
  /** Physical id of a resource already created, or undefined. */
  ref(logicalId: string): string | undefined;
  /** An attribute of a resource already created, or undefined. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** Value of another stack's export, or undefined. */
  importValue(exportName: string): string | undefined;
}

/** A stack output as DescribeStacks shows it. */
export interface ResolvedOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}
