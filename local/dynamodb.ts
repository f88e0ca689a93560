import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { LEDGER_PARTITION_KEY } from '../contracts/tables.ts';

// dynalite ships no type declarations: it is a function returning a node:http Server.
const dynaliteServer = createRequire(import.meta.url)('dynalite') as (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

/** Fake static credentials: dynalite checks that a request is signed, not by whom. */
export const dynamoCredentials = { accessKeyId: 'AKIADYNALITE000TEST', secretAccessKey: 'dynalite-secret' };
export const DYNAMO_REGION = 'us-east-1';
export const LEDGER_TABLE = 'revocation-ledger';

/** A DynamoDB-compatible server on 127.0.0.1 with the ledger table, for one test file or block. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** What a function needs to reach it through the SDK's standard configuration. */
  readonly env: {
    readonly AWS_ENDPOINT_URL_DYNAMODB: string;
    readonly AWS_REGION: string;
    readonly AWS_ACCESS_KEY_ID: string;
    readonly AWS_SECRET_ACCESS_KEY: string;
  };
  readonly tableName: string;
  /** A client for the test itself (one attempt: a failure surfaces instead of a retry). */
  readonly client: DynamoDBClient;
  /** Another client, e.g. with a different retry configuration. */
  createClient(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Deletes every item of every table (the ledger and the other tables). */
  reset(): Promise<void>;
  /** Stops the server; idempotent. Requests afterwards fail to connect. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite (in memory) behind a small front server on an ephemeral port and creates the ledger table
 * (partition key `identityKey`, S). The front server adds what dynalite leaves out of real DynamoDB's
 * behaviour: a PutItem refused with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` returns the stored item
 * in the ConditionalCheckFailedException (dynalite drops the parameter).
 */
export async function startDynamo(
  options: {
    tableName?: string;
    /** More tables to create beside the ledger (e.g. the user directory), each with its partition key (S). */
    otherTables?: readonly { readonly tableName: string; readonly partitionKey: string }[];
  } = {},
): Promise<LocalDynamo> {
  const tableName = options.tableName ?? LEDGER_TABLE;
  const tables = [{ tableName, partitionKey: LEDGER_PARTITION_KEY }, ...(options.otherTables ?? [])];
  const backend: Server = dynaliteServer({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const backendUrl = await listen(backend);
  const front = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      forward(backendUrl, request.method ?? 'POST', request.headers, Buffer.concat(chunks).toString()).then(
        ({ status, headers, body }) => {
          response.writeHead(status, { ...headers, 'x-amz-crc32': String(crc32(body)) });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(String(error));
        },
      );
    });
  });
  const endpoint = await listen(front);

  const createClient = (config: DynamoDBClientConfig = {}) =>
    new DynamoDBClient({ endpoint, region: DYNAMO_REGION, credentials: dynamoCredentials, ...config });
  const client = createClient({ maxAttempts: 1 });
  for (const table of tables) {
    await client.send(
      new CreateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: DYNAMO_REGION,
      AWS_ACCESS_KEY_ID: dynamoCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: dynamoCredentials.secretAccessKey,
    },
    tableName,
    client,
    createClient,
    reset: async () => {
      for (const table of tables) await emptyTable(client, table.tableName, table.partitionKey);
    },
    stop: () => {
      stopped ??= (async () => {
        client.destroy();
        await close(front);
        await close(backend);
      })();
      return stopped;
    },
  };
}

/** Deletes every item of a table, page by page. */
async function emptyTable(client: DynamoDBClient, tableName: string, partitionKey: string): Promise<void> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#key',
        ExpressionAttributeNames: { '#key': partitionKey },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    const keys = page.Items ?? [];
    for (let i = 0; i < keys.length; i += 25) {
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { [tableName]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) },
        }),
      );
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function forward(backendUrl: string, method: string, headers: IncomingHttpHeaders, body: string) {
  const requestHeaders = Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      HOP_BY_HOP.has(name) || value === undefined ? [] : [[name, String(value)]],
    ),
  );
  const send = async (target: string | undefined, payload: string) => {
    const reply = await fetch(backendUrl, {
      method,
      headers: { ...requestHeaders, ...(target && { 'x-amz-target': target }) },
      ...(method !== 'GET' && method !== 'HEAD' && { body: payload }),
    });
    const replyHeaders: Record<string, string> = {};
    for (const name of ['content-type', 'x-amzn-requestid']) {
      const value = reply.headers.get(name);
      if (value) replyHeaders[name] = value;
    }
    return { status: reply.status, headers: replyHeaders, body: await reply.text() };
  };

  const reply = await send(undefined, body);
  const operation = headers['x-amz-target'];
  if (reply.status !== 400 || typeof operation !== 'string' || !operation.endsWith('.PutItem')) return reply;
  const error = JSON.parse(reply.body) as { __type?: string };
  const put = JSON.parse(body) as {
    TableName: string;
    Item: Record<string, unknown>;
    ReturnValuesOnConditionCheckFailure?: string;
  };
  if (!error.__type?.endsWith('ConditionalCheckFailedException')) return reply;
  if (put.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD') return reply;
  // Real DynamoDB returns the item that failed the condition; read it back (tests do not race writers).
  const stored = await send(
    operation.replace(/PutItem$/, 'GetItem'),
    JSON.stringify({
      TableName: put.TableName,
      Key: { [LEDGER_PARTITION_KEY]: put.Item[LEDGER_PARTITION_KEY] },
      ConsistentRead: true,
    }),
  );
  const { Item } = JSON.parse(stored.body) as { Item?: unknown };
  return Item ? { ...reply, body: JSON.stringify({ ...error, Item }) } : reply;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
