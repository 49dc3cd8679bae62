import { request as httpRequest } from 'node:http';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { seededUserKeys } from '../identity';
import type { LocalCloud } from '../local-cloud';

export interface RawAnswer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/**
 * One request with exactly these headers (pairs keep duplicates and order) and this raw path, over a fresh
 * connection: a URL object or fetch would resolve `..` and `%2E%2E` and re-encode the query on the client side.
 */
export function sendRaw(
  url: URL,
  request: {
    method?: string;
    rawPath?: string;
    headers: Array<[string, string]> | Record<string, string>;
    body?: Uint8Array | string;
  },
): Promise<RawAnswer> {
  const headers = Array.isArray(request.headers) ? request.headers.flat() : request.headers;
  const target = {
    host: url.hostname,
    port: url.port,
    path: request.rawPath ?? `${url.pathname}${url.search}`,
  };
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { ...target, method: request.method ?? 'GET', headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body, json: () => JSON.parse(body) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Temporary credentials of a role of the local cloud, assumed by the developer through the real SDK client. */
export async function assumeRoleCredentials(
  cloud: LocalCloud,
  roleArn: string,
  sessionName = 'test',
  source: AwsCredentialIdentity = seededUserKeys('developer'),
): Promise<Required<Pick<AwsCredentialIdentity, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>>> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: cloud.url, credentials: source });
  try {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }),
    );
    return {
      accessKeyId: Credentials?.AccessKeyId as string,
      secretAccessKey: Credentials?.SecretAccessKey as string,
      sessionToken: Credentials?.SessionToken as string,
    };
  } finally {
    sts.destroy();
  }
}
