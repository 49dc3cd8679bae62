export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

export interface TemplateOutput {
  Value: unknown;
  Description?: string;
  Export?: { Name: unknown };
  Condition?: string;
}

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

export interface ResolutionContext {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  partition?: string;
  urlSuffix?: string;
  parameters?: Record<string, string>;
  /** Physical id of a resource already created. */
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): unknown;
  /** Value of another stack's export. */
  importValue(exportName: string): string | undefined;
}
