import type { IntrinsicFunction } from '../scope';
import { base64 } from './base64';
import { and, equals, not, or } from './condition-functions';
import { findInMap } from './find-in-map';
import { getAZs } from './get-azs';
import { getAtt } from './get-att';
import { ifFunction } from './if';
import { importValue } from './import-value';
import { join } from './join';
import { ref } from './ref';
import { select } from './select';
import { split } from './split';
import { sub } from './sub';

/**
 * The functions this resolver knows. Others (`Fn::Cidr`, `Fn::Transform`, `Fn::Length`...) are refused
 * by name rather than passed through as data a resource would then misread.
 */
export const INTRINSIC_FUNCTIONS: ReadonlyMap<string, IntrinsicFunction> = new Map([
  ['Ref', ref],
  ['Fn::GetAtt', getAtt],
  ['Fn::Join', join],
  ['Fn::Sub', sub],
  ['Fn::ImportValue', importValue],
  ['Fn::Select', select],
  ['Fn::Split', split],
  ['Fn::If', ifFunction],
  ['Fn::Equals', equals],
  ['Fn::And', and],
  ['Fn::Or', or],
  ['Fn::Not', not],
  ['Fn::FindInMap', findInMap],
  ['Fn::GetAZs', getAZs],
  ['Fn::Base64', base64],
]);

const FUNCTION_PREFIX = 'Fn::';

/** `Ref` and every `Fn::*` key; such a key alone in an object is a function call, not data. */
export function isIntrinsicFunctionName(key: string): boolean {
  return key === 'Ref' || key.startsWith(FUNCTION_PREFIX);
}
