import { DeploymentError } from './errors';

/**
 * Variables Lambda sets itself and refuses in a function's `Environment`
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * Here they would also let a template replace the credentials or the code folder of the runtime.
 */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** NODE_OPTIONS flags that would widen or switch off the permission model the local runtime runs functions in. */
const PERMISSION_FLAG = /^--(?:no-)?(?:allow-|permission|experimental-permission)/;

/** A function's `Environment.Variables`, refused as Lambda refuses them, and where they would undo the fence. */
export function validateEnvironment(
  logicalId: string,
  variables: Record<string, string>,
): Record<string, string> {
  const reserved = Object.keys(variables).filter((name) => RESERVED.has(name));
  if (reserved.length > 0)
    throw new DeploymentError(
      `${logicalId}: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  const flags = (variables.NODE_OPTIONS ?? '').split(/\s+/).filter((flag) => PERMISSION_FLAG.test(flag));
  if (flags.length > 0)
    throw new DeploymentError(
      `${logicalId}: NODE_OPTIONS ${flags.join(' ')} would change node's permission model, which confines local functions to their code and temp folder: the local cloud refuses it`,
    );
  return variables;
}
