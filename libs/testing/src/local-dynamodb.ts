import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';

export interface TableDefinition {
  tableName: string;
  /** Partition key attribute (string). */
  hashKey: string;
}

export interface LocalDynamoDB {
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  createTable(table: TableDefinition): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real, in-memory DynamoDB (dynalite speaks the DynamoDB wire protocol) on a free loopback port,
 * so repository and handler tests exercise real conditional writes instead of SDK mocks.
 *
 * @example
 * const db = await startLocalDynamoDB();
 * await db.createTable({ tableName: 'customers', hashKey: 'id' });
 * afterAll(() => db.stop());
 */
export async function startLocalDynamoDB(): Promise<LocalDynamoDB> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    // dynalite ignores signatures; fixed test credentials keep the SDK away from the real credential chain.
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    endpoint,
    client,
    documentClient: DynamoDBDocumentClient.from(client),
    async createTable({ tableName, hashKey }) {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: hashKey, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
        }),
      );
    },
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
