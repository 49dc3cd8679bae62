import type { Clock } from '../clock/clock';
import type { Caller, IdentityStore } from '../identity';
import { verifySigV4, type CredentialRecord, type SigV4Error } from '@sigv4-auth/sigv4-verifier';
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

  public authenticate(request: IncomingRequest, service: string): Authentication {
    const result = this.verify(request, service, (accessKeyId) =>
      this.identities.lookupCredential(accessKeyId),
    );
    if (!result.ok) return result;
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
