export interface LambdaFunctionConfig {
  name: string;
  arn: string;
  /** e.g. `src/handlers/create-order.handler` */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  roleArn: string;
  /** Folder the deployment package was extracted to. */
  codeDir: string;
  stackName: string;
}

/** Temporary credentials of the function's execution role, as Lambda puts them in the environment. */
export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: Date;
}

export type InvokeOutcome =
  | { kind: 'result'; payload: unknown; durationMs: number; initMs?: number }
  | { kind: 'error'; errorType: string; errorMessage: string; durationMs: number }
  | { kind: 'timeout'; durationMs: number };
