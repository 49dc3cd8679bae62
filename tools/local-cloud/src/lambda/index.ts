export { LambdaService, type LambdaServiceOptions } from './lambda-service';
export type { FunctionCredentials, InvokeOutcome, LambdaFunctionConfig } from './types';
export { connectionOwnedBy } from './connection-owner';
