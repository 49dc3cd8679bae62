import type { Clock } from '../clock/clock';
import type { Authenticator } from '../http/authenticate';
import { explained, jsonReply, type IncomingRequest, type OutgoingResponse } from '../http/incoming-request';
import { jsonProtocolError } from '../http/sigv4-wire-errors';
import { accessDeniedMessage, authorize } from '../iam';
import { iamDecision, refusedBy } from '../requests';
import type { DynamoDBService } from './dynamodb-service';
import { accessesOf, ownTablesOf } from './request-authorization';

const CONTENT_TYPE = { 'content-type': 'application/x-amz-json-1.0' };

const error = (status: number, code: string, message: string): OutgoingResponse =>
  jsonReply(status, { __type: `com.amazon.coral.service#${code}`, message }, CONTENT_TYPE);

/**
 * DynamoDB's endpoint: SigV4, then every permission the request needs (`accessesOf`) through the IAM engine, then
 * dynalite in the caller's account. A refusal is AWS's 400 AccessDeniedException ("User: <arn> is not authorized to
 * perform: dynamodb:PutItem on resource: <arn> because no identity-based policy allows the dynamodb:PutItem
 * action"), and the local log says which check and which policy decided.
 */
export class DynamoDBApi {
  public constructor(
    private readonly service: DynamoDBService,
    private readonly authenticator: Authenticator,
    private readonly clock: Clock,
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  public async handle(request: IncomingRequest, target: string): Promise<OutgoingResponse> {
    const authentication = this.authenticator.authenticate(request, 'dynamodb');
    if (!authentication.ok) {
      const wire = jsonProtocolError(authentication.error);
      return error(wire.status, wire.code, authentication.error.message);
    }
    const { caller } = authentication;
    const { accountId } = caller.principal;
    const operation = target.slice(target.indexOf('.') + 1);
    // What dynalite will act on: the body's object. Anything else (not JSON, an array, a number) it reads as no
    // parameters at all, or refuses: checked as such, so `[]` to ListTables is still a ListTables on `*`.
    let input: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(Buffer.from(request.body).toString('utf8'));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        input = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: dynalite answers with DynamoDB's SerializationException once the call is authorized.
    }
    {
      const scope = { region: this.region, accountId };
      const keysOf = await this.service.keySchemasOf(accountId, ownTablesOf(input, scope));
      const now = this.clock.now();
      const accesses = accessesOf(operation, input, { ...scope, keysOf });
      for (const access of accesses) {
        const decision = authorize({
          principal: caller.principal,
          action: access.action,
          resource: access.resource,
          resourceAccountId: access.accountId,
          identityPolicies: caller.identityPolicies,
          sessionPolicies: caller.sessionPolicies,
          now,
          context: {
            ...access.context,
            'aws:SourceIp': request.sourceIp,
            'aws:RequestedRegion': this.region,
          },
        });
        if (decision.allowed) continue;
        this.log(`400 DynamoDB ${operation} refused (AccessDeniedException): ${decision.explanation}`);
        return explained(
          error(
            400,
            'AccessDeniedException',
            accessDeniedMessage(caller.principal.arn, access.action, access.resource, decision),
          ),
          {
            action: access.action,
            resource: access.resource,
            principal: caller.principal.arn,
            decision: iamDecision('iam', decision),
          },
        );
      }
      const refusal = accesses.map((access) => access.refusal()).find((found) => found !== undefined);
      if (refusal !== undefined) {
        this.log(`400 DynamoDB ${operation} refused (${refusal.code}): ${refusal.message}`);
        return explained(error(400, refusal.code, refusal.message), {
          action: `dynamodb:${operation}`,
          resource: null,
          principal: caller.principal.arn,
          decision: refusedBy('validation', `${refusal.code}: ${refusal.message}`),
        });
      }
    }
    const forwarded = await this.service.forward(accountId, target, request.body);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'x-amz-crc32', 'x-amzn-requestid']) {
      const value = forwarded.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return { status: forwarded.status, headers, body: forwarded.body };
  }
}
