import { existsSync } from 'node:fs';
import path from 'node:path';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@sigv4-auth/signed-fetch';
import { CliError, ExitCode } from '../cli/exit-codes';

/**
 * Role credentials asked for by `--role-arn` live 15 minutes (the shortest AWS allows), or as long as a presigned
 * URL up to an hour: every role allows that much (MaxSessionDuration's default), and role chaining no more.
 */
const ROLE_SESSION_SECONDS = 900;
const MAX_ROLE_SESSION_SECONDS = 3600;

export interface CredentialOptions {
  profile?: string;
  roleArn?: string;
  roleSessionName?: string;
  /** Session length to ask for with roleArn (e.g. a presigned URL's lifetime); 15 minutes at least. */
  roleSessionSeconds?: number;
  local: boolean;
}

export interface AwsContext {
  credentials: AwsCredentialIdentityProvider;
  /** The region the profile names (`region = ...`), if any. */
  profileRegion?: string;
  /** Where the credentials come from, for `-v`: never a secret. */
  source: string;
}

type Env = Record<string, string | undefined>;

/** The local cloud's state folder: `LOCAL_CLOUD_DIR`, else `./.local-cloud` if it has the profiles, else this repo's. */
export function localCloudDir(env: Env): string {
  if (env.LOCAL_CLOUD_DIR) return env.LOCAL_CLOUD_DIR;
  // `npx local-cloud start` keeps its state where it was started: here first, then this repo's (npm start).
  const here = path.resolve('.local-cloud');
  if (existsSync(path.join(here, 'aws-config'))) return here;
  return path.resolve(__dirname, '../../../../.local-cloud');
}

/**
 * Credentials as the AWS CLI finds them: `--local` (the local cloud's profile files), `--profile` / `AWS_PROFILE`
 * (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`), else the SDK's default chain (environment, profiles,
 * SSO, container and instance roles). `--role-arn` then assumes that role with them, through STS at the
 * profile's `endpoint_url` / `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` when set (the local cloud's STS too).
 */
export async function awsContext(
  options: CredentialOptions,
  env: Env,
  stsRegion: (profileRegion?: string) => string,
): Promise<AwsContext> {
  let files: { filepath?: string; configFilepath?: string } = {
    filepath: env.AWS_SHARED_CREDENTIALS_FILE,
    configFilepath: env.AWS_CONFIG_FILE,
  };
  if (options.local) {
    const dir = localCloudDir(env);
    files = { filepath: path.join(dir, 'aws-credentials'), configFilepath: path.join(dir, 'aws-config') };
    if (!existsSync(files.filepath as string) || !existsSync(files.configFilepath as string))
      throw new CliError(
        `--local: no local cloud profile in ${dir} (aws-config, aws-credentials). Start the local cloud first: npm start`,
        ExitCode.failure,
      );
  }
  // --local: the local cloud's profile files, profile `local` unless --profile names another of them (`partner`).
  const explicitProfile = options.profile ?? (options.local ? 'local' : undefined);
  const profileName = explicitProfile ?? env.AWS_PROFILE ?? 'default';
  const { configFile } = await loadSharedConfigFiles({ ...files, ignoreCache: true });
  const profile = configFile[profileName] ?? {};
  if (explicitProfile !== undefined && configFile[profileName] === undefined && !options.local) {
    // fromIni reports this too, but only when a request is made; the AWS CLI refuses upfront.
    const { credentialsFile } = await loadSharedConfigFiles({ ...files, ignoreCache: true });
    if (credentialsFile[profileName] === undefined)
      throw new CliError(`The config profile (${profileName}) could not be found`, ExitCode.failure);
  }
  const base =
    explicitProfile !== undefined
      ? fromIni({ profile: explicitProfile, ...files, ignoreCache: true })
      : fromNodeProviderChain({ ...files });
  const source =
    explicitProfile !== undefined ? `profile ${explicitProfile}` : 'the default credential chain';
  if (options.roleArn === undefined) return { credentials: base, profileRegion: profile.region, source };

  // --local: the local cloud's STS, whatever the shell says. Otherwise as the SDKs order it.
  const endpoint = options.local
    ? profile.endpoint_url
    : (env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL ?? profile.endpoint_url);
  const roleArn = options.roleArn;
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: roleArn,
      RoleSessionName: options.roleSessionName ?? `signed-fetch-${Math.floor(Date.now() / 1000)}`,
      DurationSeconds: Math.min(
        MAX_ROLE_SESSION_SECONDS,
        Math.max(ROLE_SESSION_SECONDS, options.roleSessionSeconds ?? 0),
      ),
    },
    masterCredentials: base,
    // Without an endpoint here, the STS client would look one up in AWS_PROFILE's or the default profile, not
    // in the one chosen: a signed AssumeRole could go to another profile's endpoint_url (e.g. a LocalStack).
    clientConfig: {
      region: stsRegion(profile.region),
      ...(endpoint ? { endpoint } : { ignoreConfiguredEndpointUrls: true }),
    },
  });
  const credentials = async (): Promise<AwsCredentialIdentity> => {
    try {
      return await assume();
    } catch (error) {
      throw new CliError(`could not assume ${roleArn}: ${(error as Error).message}`, ExitCode.failure, {
        cause: error,
      });
    }
  };
  return {
    credentials,
    profileRegion: profile.region,
    source: `role ${roleArn}, assumed with ${source}${endpoint ? ` through STS at ${endpoint}` : ''}`,
  };
}
