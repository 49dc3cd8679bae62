import {
  DEFAULT_PARTITION,
  DEFAULT_URL_SUFFIX,
  NO_VALUE_PSEUDO_PARAMETER,
  PSEUDO_PARAMETER_PREFIX,
} from './constants';
import { NO_VALUE, type NoValue } from './no-value';
import type { ResolutionContext } from './types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html
const PSEUDO_PARAMETERS: Readonly<Record<string, (ctx: ResolutionContext) => string>> = {
  'AWS::AccountId': (ctx) => ctx.accountId,
  'AWS::Region': (ctx) => ctx.region,
  'AWS::StackName': (ctx) => ctx.stackName,
  'AWS::StackId': (ctx) => ctx.stackId,
  'AWS::Partition': (ctx) => ctx.partition ?? DEFAULT_PARTITION,
  'AWS::URLSuffix': (ctx) => ctx.urlSuffix ?? DEFAULT_URL_SUFFIX,
};

export function isPseudoParameterName(name: string): boolean {
  return name.startsWith(PSEUDO_PARAMETER_PREFIX);
}

/**
 * The value of a pseudo parameter, `NO_VALUE` for `AWS::NoValue`, undefined for any other name
 * (including pseudo parameters a local stack has no value for, such as `AWS::NotificationARNs`).
 */
export function pseudoParameterValue(name: string, ctx: ResolutionContext): string | NoValue | undefined {
  if (name === NO_VALUE_PSEUDO_PARAMETER) return NO_VALUE;
  return Object.hasOwn(PSEUDO_PARAMETERS, name) ? PSEUDO_PARAMETERS[name]?.(ctx) : undefined;
}
