import { AVAILABILITY_ZONE_LETTERS } from '../constants';
import { expectString } from '../function-arguments';
import type { IntrinsicFunction } from '../scope';

/**
 * `{"Fn::GetAZs": region}`; an empty region means the stack's own (Fn::GetAZs reference). A local region
 * has zones a, b and c.
 */
export const getAZs: IntrinsicFunction = (argument, scope, at) => {
  const region = expectString('Fn::GetAZs', scope.resolve(argument, at), at) || scope.ctx.region;
  return AVAILABILITY_ZONE_LETTERS.map((letter) => `${region}${letter}`);
};
