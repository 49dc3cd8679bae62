import { mkdirSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Socket } from 'node:net';
import dynalite from 'dynalite';
import type { TableKeys } from './request-authorization';

export interface DynamoDBServiceOptions {
  /** LevelDB folder of the default account's tables (data survives restarts); in memory when undefined. */
  dataDir?: string;
  /** The account whose tables live in `dataDir` and that `call` works in (the local cloud's own). */
  defaultAccountId: string;
  region: string;
}

export interface ForwardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Handler = (request: unknown, response: unknown) => void;

/** Key schemas kept per account before the cache starts over. */
const MAX_CACHED_SCHEMAS = 1000;

interface AccountStore {
  server: Server;
  /** dynalite's HTTP request listener, called directly by `forward`. */
  handle: Handler;
}

/**
 * DynamoDB, served by embedded dynalite (the real DynamoDB JSON wire protocol, no Java): one store per account,
 * since "in an AWS account, table names must be unique within each Region" and another account's tables are
 * never in your namespace (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html).
 * Callers never reach dynalite directly: the local cloud verifies SigV4 first and forwards to the caller's
 * account; `DynamoDBApi` checks the caller's `dynamodb:*` permissions between the two.
 */
export class DynamoDBService {
  private readonly stores = new Map<string, Promise<AccountStore>>();
  /** Key schemas by account, then table (null: no such table), read with DescribeTable and kept until a table changes. */
  private readonly keySchemas = new Map<string, Map<string, TableKeys | null>>();

  private constructor(private readonly options: DynamoDBServiceOptions) {}

  public static async start(options: DynamoDBServiceOptions): Promise<DynamoDBService> {
    const service = new DynamoDBService(options);
    await service.store(options.defaultAccountId);
    return service;
  }

  /** Where an account's tables are kept on disk: the default account's in `dataDir`, as before accounts. */
  private dataDirOf(accountId: string): string | undefined {
    const { dataDir, defaultAccountId } = this.options;
    if (!dataDir || accountId === defaultAccountId) return dataDir;
    return path.join(path.dirname(dataDir), 'dynamodb-accounts', accountId);
  }

  private store(accountId: string): Promise<AccountStore> {
    let store = this.stores.get(accountId);
    if (!store) {
      store = this.open(accountId);
      this.stores.set(accountId, store);
    }
    return store;
  }

  private async open(accountId: string): Promise<AccountStore> {
    const dataDir = this.dataDirOf(accountId);
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    // dynalite takes the account and region for its ARNs from the environment when a store is created
    // (db/index.js): set them for this synchronous call, so neither the host's values nor another account's leak in.
    const saved = { AWS_ACCOUNT_ID: process.env.AWS_ACCOUNT_ID, AWS_REGION: process.env.AWS_REGION };
    process.env.AWS_ACCOUNT_ID = accountId;
    process.env.AWS_REGION = this.options.region;
    let server: Server;
    try {
      server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    // Listening only so that close() shuts its store down as dynalite expects. Nothing may use the port: it
    // checks no signature and answers any web origin, so every connection is dropped.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.prependListener('connection', (socket: Socket) => socket.destroy());
    return { server, handle: server.listeners('request')[0] as Handler };
  }

  /**
   * Hands one DynamoDB JSON request (already authenticated) to dynalite's request handler in this process: the
   * same code its HTTP server runs, without a second loopback round trip per call (bench: about 1 ms each on
   * these machines). dynalite's handler reads `method`, `url`, `headers` and the body events of the request,
   * and `statusCode`, `setHeader` and `end` of the response.
   */
  public async forward(accountId: string, target: string, body: Uint8Array): Promise<ForwardedResponse> {
    // A table created, changed (a new index) or deleted: its account's cached key schemas may be stale, before and
    // after (dynalite applies the change asynchronously: a DescribeTable in between may see the old table).
    const changesTables = /\.(CreateTable|UpdateTable|DeleteTable)$/.test(target);
    if (changesTables) this.keySchemas.delete(accountId);
    const { handle } = await this.store(accountId);
    if (changesTables)
      return this.answer(handle, target, body).finally(() => this.keySchemas.delete(accountId));
    return this.answer(handle, target, body);
  }

  private answer(handle: Handler, target: string, body: Uint8Array): Promise<ForwardedResponse> {
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
        handle(incoming, outgoing);
        incoming.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        incoming.emit('end');
      } catch (error) {
        reject(error);
      }
    });
  }

  /**
   * The key schemas of an account's tables `names` (what `dynamodb:LeadingKeys` needs), as a lookup: read once per
   * table with DescribeTable, then from memory until a CreateTable, UpdateTable or DeleteTable in the account.
   */
  public async keySchemasOf(
    accountId: string,
    names: string[],
  ): Promise<(table: string) => TableKeys | undefined> {
    let schemas = this.keySchemas.get(accountId);
    // Bounded, so no caller can grow it for ever.
    if (schemas && schemas.size > MAX_CACHED_SCHEMAS) schemas = undefined;
    if (!schemas) {
      schemas = new Map();
      this.keySchemas.set(accountId, schemas);
    }
    const known = schemas;
    await Promise.all(
      names
        .filter((name) => !known.has(name))
        .map(async (name) => {
          const response = await this.forward(
            accountId,
            'DynamoDB_20120810.DescribeTable',
            Buffer.from(JSON.stringify({ TableName: name })),
          );
          // Only a table that exists is remembered: a miss is asked again next time (it may be being created).
          if (response.status === 200) known.set(name, keysOf(JSON.parse(response.body.toString('utf8'))));
        }),
    );
    return (table) => known.get(table) ?? undefined;
  }

  /** Runs an operation as the local cloud itself (the deployer creating tables), in the default account. */
  public async call<T>(operation: string, input: unknown): Promise<{ status: number; output: T }> {
    const response = await this.forward(
      this.options.defaultAccountId,
      `DynamoDB_20120810.${operation}`,
      Buffer.from(JSON.stringify(input)),
    );
    return { status: response.status, output: JSON.parse(response.body.toString('utf8') || '{}') as T };
  }

  public async stop(): Promise<void> {
    const stores = await Promise.all(this.stores.values());
    await Promise.all(
      stores.map(
        ({ server }) =>
          new Promise<void>((resolve, reject) =>
            server.close((error) => (error ? reject(error) : resolve())),
          ),
      ),
    );
  }
}

interface KeySchemaElement {
  AttributeName: string;
  KeyType: string;
}

function keysOf(description: {
  Table?: {
    KeySchema?: KeySchemaElement[];
    GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeySchemaElement[] }>;
    LocalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeySchemaElement[] }>;
  };
}): TableKeys | null {
  const hashOf = (schema: KeySchemaElement[] | undefined) =>
    schema?.find((element) => element.KeyType === 'HASH')?.AttributeName;
  const partitionKey = hashOf(description.Table?.KeySchema);
  if (partitionKey === undefined) return null;
  const indexes = [
    ...(description.Table?.GlobalSecondaryIndexes ?? []),
    ...(description.Table?.LocalSecondaryIndexes ?? []),
  ];
  return {
    partitionKey,
    indexPartitionKeys: Object.fromEntries(
      indexes.map((index) => [index.IndexName, hashOf(index.KeySchema) ?? partitionKey]),
    ),
  };
}
