export { accessDeniedMessage, authorize, notAuthorizedMessage } from './authorize';
export type {
  AuthorizationRequest,
  ContextValue,
  LazyContextValue,
  Decision,
  DecidingStatement,
  NamedPolicy,
  PolicyDocument,
  PolicyStatement,
  RequestPrincipal,
} from './types';
export { validatePolicyDocument, type PolicyKind } from './validate';
