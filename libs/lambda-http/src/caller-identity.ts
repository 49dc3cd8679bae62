import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Who called, as API Gateway's AWS_IAM authorization established it (never taken from the body or headers). */
export interface CallerIdentity {
  userArn: string | null;
  accountId: string | null;
  caller: string | null;
  user: string | null;
  sourceIp: string | null;
}

/** Reads the verified caller from `requestContext.identity` (filled by API Gateway for AWS_IAM methods). */
export function callerIdentityOf(event: APIGatewayProxyEvent): CallerIdentity {
  const identity = event.requestContext?.identity;
  return {
    userArn: identity?.userArn ?? null,
    accountId: identity?.accountId ?? null,
    caller: identity?.caller ?? null,
    user: identity?.user ?? null,
    sourceIp: identity?.sourceIp ?? null,
  };
}
