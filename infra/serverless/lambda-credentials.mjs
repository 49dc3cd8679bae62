// Bundled into every function in place of @aws-sdk/credential-provider-node (esbuild `alias`,
// infra/serverless/esbuild.yml). That package is the SDK's default chain for any machine: environment, SSO, the
// shared ini files, credential_process, web identity, container and instance metadata, with the SSO and STS
// clients it needs (~50 KB minified, parsed at every cold start). A Lambda function has one source: Lambda puts
// the execution role's temporary credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime), the
// first link of the default chain, which is what the chain returns there. The local cloud sets the same three.
// Named profiles, SSO and container or instance metadata are not consulted: a runtime that hands credentials to
// functions another way (a container credentials URI) needs this alias removed from esbuild.yml.
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The SDK clients' default credentials: the function's environment (a clear error if they are missing). */
export const defaultProvider = (init = {}) => fromEnv(init);

// The same two helpers as @aws-sdk/credential-provider-node, for whatever imports them.
export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
