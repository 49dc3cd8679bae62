import { MissingExportError } from '../errors';
import { expectString } from '../function-arguments';
import type { IntrinsicFunction } from '../scope';

/** `{"Fn::ImportValue": name}`; the name is often built with `Fn::Sub` from a stage or stack name. */
export const importValue: IntrinsicFunction = (argument, scope, at) => {
  const exportName = expectString('Fn::ImportValue', scope.resolve(argument, at), at);
  const value = scope.ctx.importValue(exportName);
  if (value === undefined) throw new MissingExportError(exportName, at);
  return value;
};
