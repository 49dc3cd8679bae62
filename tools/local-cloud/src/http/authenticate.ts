import type { Clock } from '../clock/clock';
import type { Caller, IdentityStore } from '../identity';
import {
  IncompleteSignatureError,
  verifySigV4,
  type CredentialRecord,
  type SigV4Error,
} from '@sigv4-auth/sigv4-verifier';
import type { IncomingRequest } from './incoming-request';

export type Authentication = { ok: true; caller: Caller } | { ok: false; error: SigV4Error };

/**
 * SigV4 verification for every service of the local cloud, then the identity behind the key.
 * One implementation, so API Gateway, STS, DynamoDB and CloudFormation refuse exactly the same requests.
 */
export class Authenticator {
  public constructor(
    private readonly identities: IdentityStore,
    private readonly clock: Clock,
    private readonly region: string,
  ) {}

  /** The local cloud's clock: the time every authorization decision is made at (aws:CurrentTime). */
  public now(): Date {
    return this.clock.now();
  }

  public authenticate(request: IncomingRequest, service: string): Authentication {
    const result = this.verify(request, service, (accessKeyId) =>
      this.identities.lookupCredential(accessKeyId),
    );
    if (!result.ok) return result;
    // After verification, so it covers every form a signature can take (header, or query in any spelling).
    if (request.rawQuery.includes('+')) return { ok: false, error: ambiguousPlus() };
    const caller = this.identities.callerFor(result.accessKeyId);
    if (caller) return { ok: true, caller };
    // The key's role was deleted between the two lookups: answer exactly as for an unknown key.
    const unknown = this.verify(request, service, () => undefined);
    if (unknown.ok) throw new Error('SigV4 verification accepted a request without credentials');
    return unknown;
  }

  private verify(
    request: IncomingRequest,
    service: string,
    lookupCredential: (accessKeyId: string) => CredentialRecord | undefined,
  ) {
    return verifySigV4(
      {
        method: request.method,
        path: request.rawPath,
        query: request.rawQuery,
        headers: request.headerPairs,
        body: request.body,
      },
      { now: this.clock.now(), service, region: this.region, lookupCredential },
    );
  }
}

/**
 * A raw `+` in the query of a signed request means two things at AWS: SigV4 signs it as a plus (the canonical
 * query encodes "the space character ... as %20 (and not as +)", so a `+` is a plus:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), while API Gateway
 * passes it to the function as a space and STS reads its Query parameters form-decoded (recorded from AWS:
 * `plus=test+alias@gmail.com` arrives as "test alias@gmail.com", localstack's
 * tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json). So `?q=a%2Bb`, signed, could be replayed
 * as `?q=a+b` and reach the function as "a b". The local cloud refuses the ambiguity instead of choosing.
 */
function ambiguousPlus(): SigV4Error {
  return new IncompleteSignatureError(
    "The query string of a signed request contains a raw '+': SigV4 signs it as a plus, but API Gateway and STS read it as a space. Send %2B for a plus and %20 for a space.",
  );
}
