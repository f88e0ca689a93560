import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DECISION_LATENCY_METRIC, DECISION_METRICS } from '../../contracts/metrics.ts';
import { dynamoDbLedgerReader } from '../core/adapters/dynamodb-ledger.ts';
import { loadInstrumentation } from '../core/adapters/instrument-client.ts';
import { loadLogHashKey } from '../core/adapters/log-hash-key.ts';
import { identityKeyFor } from '../core/identity.ts';
import { identityForLogs } from '../core/log-identity.ts';
import { protectedIdentities } from '../core/protected-identities.ts';
import { loadConfig } from './config.ts';
import {
  type ClientConnectResponse,
  DECISION_LOG_LEVELS,
  decideConnection,
  decisionForLogs,
} from './decide.ts';

const config = loadConfig();
const logger = new Logger();
const metrics = new Metrics();
// With tracing on (and only then) loads the tracer.
const instrumentation = await loadInstrumentation();
const forLogs = identityForLogs(await loadLogHashKey(config.logHashKeySecretArn));

// A lookup must fit the decision's 5 s budget: fail fast on a dead connection or a hung request (the SDK only
// warns about a slow request unless told to throw), and retry once: 2 × 1.5 s plus backoff stays under 5 s.
const dynamoDb = instrumentation.instrumentClient(
  new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500, throwOnRequestTimeout: true },
  }),
);

const identityKey = identityKeyFor(config.activeDirectoryDomains);
const decide = decideConnection({
  protectedIdentities: protectedIdentities(config.protectedIdentities, identityKey),
  findRevoked: dynamoDbLedgerReader(dynamoDb, { tableName: config.ledgerTableName, identityKey }).findRevoked,
  onLedgerUnavailable: config.onLedgerUnavailable,
  deniedMessage: config.deniedMessage,
});

export const handler = middy<unknown, ClientConnectResponse, Error, Context>()
  .use(instrumentation.tracing)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async (request) => {
    const started = performance.now();
    const decision = await decide(request);
    const latencyMs = performance.now() - started;
    if (decision.connectionId) logger.setCorrelationId(decision.connectionId);
    metrics.addMetric(DECISION_METRICS[decision.reason], MetricUnit.Count, 1);
    metrics.addMetric(DECISION_LATENCY_METRIC, MetricUnit.Milliseconds, latencyMs);
    logger[DECISION_LOG_LEVELS[decision.reason]]('Client connect decision', {
      ...decisionForLogs(decision, forLogs),
      latencyMs: Math.round(latencyMs * 10) / 10,
    });
    return decision.response;
  });
