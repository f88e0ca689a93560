import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EC2_THROTTLED_METRICS } from '../../contracts/metrics.ts';
import { dynamoDbLedger } from '../core/adapters/dynamodb-ledger.ts';
import { dynamoDbUserDirectory } from '../core/adapters/dynamodb-user-directory.ts';
import { loadInstrumentation } from '../core/adapters/instrument-client.ts';
import { loadLogHashKey } from '../core/adapters/log-hash-key.ts';
import { identityKeyFor } from '../core/identity.ts';
import { identityForLogs } from '../core/log-identity.ts';
import { protectedIdentities } from '../core/protected-identities.ts';
import { ec2ClientVpnApi } from '../engine/adapters/ec2-client-vpn.ts';
import { eventBridgeOutcomePublisher } from '../engine/adapters/eventbridge-outcomes.ts';
import { ec2ClientsForAccounts } from '../engine/adapters/member-accounts.ts';
import { pacedClientVpn } from '../engine/pacing.ts';
import { revokeAccess } from '../engine/revoke-access.ts';
import { lastTerminateStart } from '../engine/terminate-connections.ts';
import { cognitoUserLookUp } from './adapters/cognito-users.ts';
import { identityStoreUserLookUp } from './adapters/identity-store.ts';
import { sqsVisibility } from './adapters/sqs-visibility.ts';
import { loadConfig } from './config.ts';
import { processRevocationBatch } from './process-batch.ts';
import { resolveUserName } from './resolve-user.ts';
import { scheduleRetries } from './retry-backoff.ts';

const config = loadConfig();
const logger = new Logger();
const metrics = new Metrics();
// Counts throttled EC2 attempts; with tracing on (and only then) loads the tracer.
const instrumentation = await loadInstrumentation();
const { instrumentClient } = instrumentation;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const logHashKey = await loadLogHashKey(config.logHashKeySecretArn);

// One EC2 client per region and account: a member account's through its assumed role (lambda/core/environment.ts).
const createEc2Client = ec2ClientsForAccounts(config.accounts, {
  sessionName: 'client-vpn-revoker',
  now: Date.now,
  instrumentClient,
});

const identityKey = identityKeyFor(config.activeDirectoryDomains);
const identityStoreUser = identityStoreUserLookUp(config.identityStoreRegion, instrumentClient);
const cognitoUser = cognitoUserLookUp(instrumentClient);
const dynamoDb = instrumentClient(new DynamoDBClient({ retryMode: 'adaptive', maxAttempts: 5 }));

const processBatch = processRevocationBatch({
  revoke: revokeAccess(
    {
      // Paced below EC2's bucket refill so other callers in the account keep tokens (lambda/engine/pacing.ts).
      clientVpn: pacedClientVpn(ec2ClientVpnApi(createEc2Client), { ...config.pacing, now: Date.now, sleep }),
      identityKey,
      now: Date.now,
      sleep,
      random: Math.random,
    },
    config,
  ),
  publish: eventBridgeOutcomePublisher(
    instrumentClient(new EventBridgeClient({ retryMode: 'adaptive', maxAttempts: 5 })),
    {
      eventBusName: config.outcomeEventBus,
      source: config.outcomeSource,
      attempts: 3,
      sleep,
    },
  ),
  // Look-up, then the user directory's record of a deleted user (lambda/revoker/resolve-user.ts).
  lookUpUserName: resolveUserName({
    lookUp: (reference) =>
      reference.kind === 'identity-store-user' ? identityStoreUser(reference) : cognitoUser(reference),
    ...(config.userDirectory && {
      directory: dynamoDbUserDirectory(dynamoDb, { ...config.userDirectory, now: Date.now }),
    }),
    logger,
  }),
  sources: config.sources,
  ...(config.ledger && {
    ledger: dynamoDbLedger(dynamoDb, {
      ...config.ledger,
      now: Date.now,
      identityKey,
    }),
  }),
  protectedIdentities: protectedIdentities(config.protectedIdentities, identityKey),
  identityKey,
  identityForLogs: identityForLogs(logHashKey),
  dryRun: config.dryRun,
  maxReceiveCount: config.maxReceiveCount,
  maxEventTimeSkewMs: config.maxEventTimeSkewMs,
  now: Date.now,
  logger,
  metrics,
});

// Failed requests come back after seconds, not at the visibility timeout (lambda/revoker/retry-backoff.ts).
const handBackFailed = scheduleRetries({
  changeVisibility: sqsVisibility(instrumentClient),
  random: Math.random,
  logger,
  metrics,
});

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(instrumentation.tracing)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  // After logMetrics, so that its flush includes the count.
  .use(instrumentation.ec2ThrottlingMetric(metrics, EC2_THROTTLED_METRICS.revoker))
  .handler(async (event, context) =>
    handBackFailed(
      event.Records,
      await processBatch(event.Records, {
        deadline: lastTerminateStart(Date.now(), context.getRemainingTimeInMillis()),
      }),
    ),
  );
