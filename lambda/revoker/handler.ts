import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDbLedger } from '../core/adapters/dynamodb-ledger.ts';
import { loadLogHashKey } from '../core/adapters/log-hash-key.ts';
import { identityForLogs } from '../core/log-identity.ts';
import { protectedIdentities } from '../core/protected-identities.ts';
import { cognitoUserNames } from './adapters/cognito-users.ts';
import { ec2ClientVpnApi } from './adapters/ec2-client-vpn.ts';
import { eventBridgeOutcomePublisher } from './adapters/eventbridge-outcomes.ts';
import { identityStoreUserNames } from './adapters/identity-store.ts';
import { loadConfig } from './config.ts';
import { pacedClientVpn } from './pacing.ts';
import { processRevocationBatch } from './process-batch.ts';
import { revokeAccess } from './revoke-access.ts';
import { lastTerminateStart } from './terminate-connections.ts';

const config = loadConfig();
const logger = new Logger();
const metrics = new Metrics();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const logHashKey = await loadLogHashKey(config.logHashKeySecretArn);

// Adaptive retries rate-limit this client once EC2 throttles, instead of hammering a drained bucket.
const createEc2Client = (region: string) => new EC2Client({ region, retryMode: 'adaptive', maxAttempts: 5 });

const identityStoreUserName = identityStoreUserNames(config.identityStoreRegion);
const cognitoUserName = cognitoUserNames();

const processBatch = processRevocationBatch({
  revoke: revokeAccess(
    {
      // Paced below EC2's bucket refill so other callers in the account keep tokens (lambda/revoker/pacing.ts).
      clientVpn: pacedClientVpn(ec2ClientVpnApi(createEc2Client), { ...config.pacing, now: Date.now, sleep }),
      now: Date.now,
      sleep,
      random: Math.random,
    },
    config,
  ),
  publish: eventBridgeOutcomePublisher(new EventBridgeClient({ retryMode: 'adaptive', maxAttempts: 5 }), {
    eventBusName: config.outcomeEventBus,
    source: config.outcomeSource,
    attempts: 3,
    sleep,
  }),
  lookUpUserName: (reference) =>
    reference.kind === 'identity-store-user' ? identityStoreUserName(reference) : cognitoUserName(reference),
  sources: config.sources,
  ...(config.ledger && {
    ledger: dynamoDbLedger(new DynamoDBClient({ retryMode: 'adaptive', maxAttempts: 5 }), {
      ...config.ledger,
      now: Date.now,
    }),
  }),
  protectedIdentities: protectedIdentities(config.protectedIdentities),
  identityForLogs: identityForLogs(logHashKey),
  dryRun: config.dryRun,
  maxReceiveCount: config.maxReceiveCount,
  now: Date.now,
  logger,
  metrics,
});

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler((event, context) =>
    processBatch(event.Records, {
      deadline: lastTerminateStart(Date.now(), context.getRemainingTimeInMillis()),
    }),
  );
