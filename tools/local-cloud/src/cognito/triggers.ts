import { CognitoError } from './errors';
import type { UserPool } from './user-pools';

/**
 * Runs a pool's Lambda trigger: resolves to the function's answer, or throws Cognito's error. Provided by the
 * local cloud: it checks the function's resource policy allows `cognito-idp.amazonaws.com` for this pool's ARN
 * (the `AWS::Lambda::Permission` Cognito needs on AWS) and invokes it in its own execution environment.
 */
export type TriggerInvoker = (
  functionArn: string,
  sourceArn: string,
  event: unknown,
) => Promise<
  | { ok: true; result: unknown }
  | { ok: false; reason: 'not-permitted' | 'error' | 'timeout'; message: string }
>;

export interface TriggerEvent {
  version: '1';
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  triggerSource: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** The common shape of every trigger event (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html#cognito-user-pools-lambda-trigger-syntax-shared). */
export function triggerEvent(
  pool: UserPool,
  userName: string,
  clientId: string | undefined,
  triggerSource: string,
  request: Record<string, unknown>,
  response: Record<string, unknown> = {},
): TriggerEvent {
  return {
    version: '1',
    region: pool.config.region,
    userPoolId: pool.config.id,
    userName,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: clientId ?? 'CLIENT_ID_NOT_APPLICABLE',
    },
    triggerSource,
    request,
    response,
  };
}

/**
 * Runs the pool's `trigger` if it has one; undefined when it has none. A function error becomes
 * UserLambdaValidationException "<Trigger> failed with error <message>.", a timeout or a missing permission
 * UnexpectedLambdaException, and an answer that is not the event InvalidLambdaResponseException, as Cognito
 * reports them (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html#API_SignUp_Errors).
 */
export async function runTrigger(
  invoke: TriggerInvoker,
  pool: UserPool,
  trigger: string,
  event: TriggerEvent,
): Promise<TriggerEvent | undefined> {
  const functionArn = pool.config.lambdaConfig[trigger];
  if (!functionArn) return undefined;
  const outcome = await invoke(functionArn, pool.config.arn, event);
  if (!outcome.ok) {
    if (outcome.reason === 'error')
      throw new CognitoError(
        'UserLambdaValidationException',
        `${trigger} failed with error ${outcome.message}.`,
      );
    throw new CognitoError('UnexpectedLambdaException', `${trigger} invocation failed: ${outcome.message}`);
  }
  const answer = outcome.result as Partial<TriggerEvent> | null;
  if (
    !answer ||
    typeof answer !== 'object' ||
    typeof answer.response !== 'object' ||
    answer.response === null
  )
    throw new CognitoError('InvalidLambdaResponseException', `Unrecognizable lambda output`);
  return answer as TriggerEvent;
}
