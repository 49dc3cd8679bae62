import type { Authenticator } from '../../http/authenticate';
import { explained, type IncomingRequest, type OutgoingResponse } from '../../http/incoming-request';
import { iamDecision } from '../../requests';
import { queryParameters, xmlError, xmlResult } from '../../http/query-protocol';
import { queryProtocolError } from '../../http/sigv4-wire-errors';
import { authorize } from '../../iam';
import type { Stack } from '../deployer/stack';

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export interface StackSource {
  stacks(): Stack[];
  stack(name: string): Stack | undefined;
}

/**
 * CloudFormation's read API: DescribeStacks (with outputs) and ListExports, in AWS's Query/XML protocol so
 * `aws cloudformation describe-stacks --endpoint-url http://127.0.0.1:4566` works. Callers need
 * `cloudformation:DescribeStacks` / `cloudformation:ListExports` in their identity policy.
 */
export class CloudFormationService {
  public constructor(
    private readonly source: StackSource,
    private readonly authenticator: Authenticator,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  public handle(request: IncomingRequest): OutgoingResponse {
    const authentication = this.authenticator.authenticate(request, 'cloudformation');
    if (!authentication.ok) {
      const { error } = authentication;
      const wire = queryProtocolError(error);
      return xmlError(NAMESPACE, wire.status, wire.code, error.message, request.requestId);
    }
    const params = queryParameters(request);
    const action = params.get('Action') ?? '';
    const { caller } = authentication;
    const stackName = params.get('StackName') ?? undefined;
    const resource = `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${stackName ?? '*'}/*`;
    if (action === 'DescribeStacks' || action === 'ListExports') {
      const decision = authorize({
        principal: caller.principal,
        action: `cloudformation:${action}`,
        resource: action === 'ListExports' ? '*' : resource,
        resourceAccountId: this.accountId,
        identityPolicies: caller.identityPolicies,
        sessionPolicies: caller.sessionPolicies,
        now: this.authenticator.now(),
      });
      if (!decision.allowed) {
        return explained(
          xmlError(
            NAMESPACE,
            403,
            'AccessDenied',
            `User: ${caller.principal.arn} is not authorized to perform: cloudformation:${action} on resource: ${resource}`,
            request.requestId,
          ),
          {
            action: `cloudformation:${action}`,
            resource: action === 'ListExports' ? '*' : resource,
            principal: caller.principal.arn,
            decision: iamDecision('iam', decision),
          },
        );
      }
    }
    switch (action) {
      case 'DescribeStacks': {
        const stacks = stackName ? [this.source.stack(stackName)] : this.source.stacks();
        if (stacks[0] === undefined) {
          return xmlError(
            NAMESPACE,
            400,
            'ValidationError',
            `Stack with id ${stackName} does not exist`,
            request.requestId,
          );
        }
        return xmlResult(
          NAMESPACE,
          'DescribeStacks',
          { Stacks: stacks.map((stack) => describe(stack as Stack)) },
          request.requestId,
        );
      }
      case 'ListExports': {
        const exports = this.source.stacks().flatMap((stack) =>
          stack.outputs
            .filter((output) => output.exportName)
            .map((output) => ({
              ExportingStackId: stack.stackId,
              Name: output.exportName,
              Value: output.value,
            })),
        );
        return xmlResult(NAMESPACE, 'ListExports', { Exports: exports }, request.requestId);
      }
      default:
        return xmlError(
          NAMESPACE,
          400,
          'InvalidAction',
          `Unsupported action ${action} in the local cloud`,
          request.requestId,
        );
    }
  }
}

function describe(stack: Stack): Record<string, unknown> {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    Description: stack.description,
    CreationTime: stack.createdAt.toISOString(),
    LastUpdatedTime: stack.updatedAt.toISOString(),
    StackStatus: stack.status,
    Outputs: stack.outputs.map((output) => ({
      OutputKey: output.key,
      OutputValue: output.value,
      Description: output.description,
      ExportName: output.exportName,
    })),
  };
}
