import { DeploymentError } from './errors';

/**
 * CloudFormation: "A stack name can contain only alphanumeric characters (case sensitive) and hyphens. It must
 * start with an alphabetical character and can't be longer than 128 characters."
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html). The name becomes a
 * folder under the state directory, so nothing else may pass.
 */
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

export function validateStackName(name: unknown): string {
  if (typeof name !== 'string' || !STACK_NAME.test(name))
    throw new DeploymentError(
      `Stack name ${JSON.stringify(String(name).slice(0, 140))} is invalid: letters, digits and hyphens, starting with a letter, at most 128 characters`,
    );
  return name;
}

/**
 * Lambda: `[a-zA-Z0-9-_]+`, "If you specify only the function name, it is limited to 64 characters in length"
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html). The name becomes a folder too.
 */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function validateFunctionName(logicalId: string, name: string): string {
  if (!FUNCTION_NAME.test(name))
    throw new DeploymentError(
      `${logicalId}: FunctionName ${JSON.stringify(name.slice(0, 80))} is invalid: letters, digits, - and _, at most 64 characters`,
    );
  return name;
}

/** IAM: role names are `[\w+=,.@-]+`, at most 64 characters (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM: "This setting can have a value from 1 hour to 12 hours" (API_CreateRole, MaxSessionDuration). */
const MAX_SESSION_DURATION = { min: 3600, max: 43_200 };

export function validateRole(logicalId: string, name: string, maxSessionDuration: unknown): number {
  if (!ROLE_NAME.test(name))
    throw new DeploymentError(
      `${logicalId}: RoleName ${JSON.stringify(name.slice(0, 80))} is invalid: [\\w+=,.@-], at most 64 characters`,
    );
  const seconds = maxSessionDuration === undefined ? 3600 : Number(maxSessionDuration);
  if (!Number.isInteger(seconds) || seconds < MAX_SESSION_DURATION.min || seconds > MAX_SESSION_DURATION.max)
    throw new DeploymentError(
      `${logicalId}: MaxSessionDuration ${JSON.stringify(maxSessionDuration)} is invalid: an integer from 3600 to 43200 seconds`,
    );
  return seconds;
}
