import { IDP_PATH, readCorporateIdp } from './corporate-idp';
import { staffSignIn, StaffSignInError } from './staff-sign-in';

/**
 * A seeded staff user's access token from the local IdP of the cloud at `cloudUrl`, signed in with the published
 * local password from `identitiesFile` (`npx local-cloud idp-token`, tests, benchmarks).
 */
export async function staffToken(cloudUrl: string, user: string, identitiesFile: string): Promise<string> {
  const config = readCorporateIdp(identitiesFile);
  if (!config) throw new StaffSignInError(`${identitiesFile} has no corporateIdp section`);
  const member = config.staff.find((candidate) => candidate.name === user);
  if (!member)
    throw new StaffSignInError(
      `no staff user ${user} in ${identitiesFile} (there are: ${config.staff.map((m) => m.name).join(', ')})`,
    );
  const tokens = await staffSignIn(cloudUrl, {
    user,
    password: member.password,
    audience: config.audience,
    scope: config.resourceScope,
  });
  return tokens.accessToken;
}

/**
 * The local IdP's token endpoint for its confidential (client_credentials) client from `identitiesFile`, with
 * client_secret_basic: the answer as it comes (tests also send a wrong `secret`).
 */
export async function machineTokenResponse(
  cloudUrl: string,
  identitiesFile: string,
  secret?: string,
): Promise<Response> {
  const config = readCorporateIdp(identitiesFile);
  const client = config?.clients.find((candidate) => candidate.clientSecret !== undefined);
  if (!config || !client)
    throw new StaffSignInError(`${identitiesFile} has no corporateIdp client with a clientSecret`);
  const basic = Buffer.from(`${client.clientId}:${secret ?? client.clientSecret}`).toString('base64');
  return fetch(`${cloudUrl}${IDP_PATH}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: config.resourceScope,
      resource: config.audience,
    }).toString(),
  });
}
