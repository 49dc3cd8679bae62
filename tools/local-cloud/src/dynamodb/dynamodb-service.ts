import { mkdirSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface DynamoDBServiceOptions {
  /** LevelDB folder for data that survives restarts; in memory when undefined. */
  dataDir?: string;
}

export interface ForwardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * DynamoDB, served by an embedded dynalite (the real DynamoDB JSON wire protocol, no Java) on a private
 * loopback port. Callers never reach dynalite directly: the local cloud verifies SigV4 first and forwards.
 * Checking the caller's `dynamodb:*` permissions fits between the two (see README "Not yet enforced").
 */
export class DynamoDBService {
  private constructor(
    private readonly server: Server,
    private readonly port: number,
  ) {}

  public static async start(options: DynamoDBServiceOptions): Promise<DynamoDBService> {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new DynamoDBService(server, (server.address() as AddressInfo).port);
  }

  /** Sends one DynamoDB JSON request (already authenticated) to dynalite. */
  public forward(target: string, body: Uint8Array): Promise<ForwardedResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': target,
            'content-length': body.byteLength,
            // dynalite requires a well-formed Authorization header but does not verify it: we already did.
            authorization:
              'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
            'x-amz-date': '20000101T000000Z',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 500,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Runs an operation as the local cloud itself (the deployer creating tables). */
  public async call<T>(operation: string, input: unknown): Promise<{ status: number; output: T }> {
    const response = await this.forward(`DynamoDB_20120810.${operation}`, Buffer.from(JSON.stringify(input)));
    return { status: response.status, output: JSON.parse(response.body.toString('utf8') || '{}') as T };
  }

  public stop(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
