import { expectString } from '../function-arguments';
import type { IntrinsicFunction } from '../scope';

/** `{"Fn::Base64": string}`: the UTF-8 bytes of the string, Base64 encoded (EC2 UserData). */
export const base64: IntrinsicFunction = (argument, scope, at) =>
  Buffer.from(expectString('Fn::Base64', scope.resolve(argument, at), at), 'utf8').toString('base64');
