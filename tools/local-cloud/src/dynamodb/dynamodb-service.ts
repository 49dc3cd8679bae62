import { mkdirSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Socket } from 'node:net';
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
 * DynamoDB, served by an embedded dynalite (the real DynamoDB JSON wire protocol, no Java). Callers never reach
 * dynalite directly: the local cloud verifies SigV4 first and forwards.
 * Checking the caller's `dynamodb:*` permissions fits between the two (see README "Not yet enforced").
 */
export class DynamoDBService {
  /** dynalite's HTTP request listener, called directly by `forward`. */
  private readonly handle: (request: unknown, response: unknown) => void;

  private constructor(private readonly server: Server) {
    this.handle = server.listeners('request')[0] as (request: unknown, response: unknown) => void;
  }

  public static async start(options: DynamoDBServiceOptions): Promise<DynamoDBService> {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    // Listening only so that close() shuts its store down as dynalite expects. Nothing may use the port: it
    // checks no signature and answers any web origin, so every connection is dropped.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.prependListener('connection', (socket: Socket) => socket.destroy());
    return new DynamoDBService(server);
  }

  /**
   * Hands one DynamoDB JSON request (already authenticated) to dynalite's request handler in this process: the
   * same code its HTTP server runs, without a second loopback round trip per call (bench: about 1 ms each on
   * these machines). dynalite's handler reads `method`, `url`, `headers` and the body events of the request,
   * and `statusCode`, `setHeader` and `end` of the response.
   */
  public forward(target: string, body: Uint8Array): Promise<ForwardedResponse> {
    return new Promise((resolve, reject) => {
      const incoming = Object.assign(new EventEmitter(), {
        method: 'POST',
        url: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': target,
          'content-length': String(body.byteLength),
          // dynalite requires a well-formed Authorization header but does not verify it: we already did.
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
          'x-amz-date': '20000101T000000Z',
        } as IncomingHttpHeaders,
      });
      const headers: IncomingHttpHeaders = {};
      const outgoing = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader(name: string, value: string | number) {
          headers[name.toLowerCase()] = String(value);
        },
        end(chunk?: string | Buffer) {
          resolve({
            status: this.statusCode,
            headers,
            body: chunk === undefined ? Buffer.alloc(0) : Buffer.from(chunk),
          });
        },
      };
      try {
        this.handle(incoming, outgoing);
        incoming.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        incoming.emit('end');
      } catch (error) {
        reject(error);
      }
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
