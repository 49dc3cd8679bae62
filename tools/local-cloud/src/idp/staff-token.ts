import { readCorporateIdp } from './corporate-idp';
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
