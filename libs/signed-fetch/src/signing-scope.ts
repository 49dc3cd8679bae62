import { ConfigurationError } from './errors';

export interface SigningScope {
  region: string;
  service: string;
}

/**
 * Region and service from well-known AWS hostnames: `{id}.execute-api.{region}.amazonaws.com`,
 * `{id}.lambda-url.{region}.on.aws`, `{service}.{region}.amazonaws.com`. Undefined parts are unknown.
 */
export function inferSigningScope(url: URL | string): Partial<SigningScope> {
  const host = new URL(url).hostname.toLowerCase();
  let match = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host);
  if (match) return { region: match[1], service: 'execute-api' };
  match = /^[a-z0-9]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(host);
  if (match) return { region: match[1], service: 'lambda' };
  match = /^([a-z0-9-]+)\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(\.cn)?$/.exec(host);
  if (match) return { service: match[1], region: match[2] };
  return {};
}

export function resolveSigningScope(url: URL, options: { region?: string; service?: string }): SigningScope {
  const inferred = inferSigningScope(url);
  const region =
    options.region ?? inferred.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigurationError(`No region for ${url.host}: pass { region } or set AWS_REGION`);
  }
  return { region, service: options.service ?? inferred.service ?? 'execute-api' };
}
