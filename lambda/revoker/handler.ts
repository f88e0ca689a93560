import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDbLedger } from '../core/adapters/dynamodb-ledger.ts';
import { EC2_THROTTLED_METRICS, loadInstrumentation } from '../core/adapters/instrument-client.ts';
import { loadLogHashKey } from '../core/adapters/log-hash-key.ts';
import { identityKeyFor } from '../core/identity.ts';
import { identityForLogs } from '../core/log-identity.ts';
import { protectedIdentities } from '../core/protected-identities.ts';
import { cognitoUserNames } from './adapters/cognito-users.ts';
import { ec2ClientVpnApi } from './adapters/ec2-client-vpn.ts';
import { eventBridgeOutcomePublisher } from './adapters/eventbridge-outcomes.ts';
import { identityStoreUserNames } from './adapters/identity-store.ts';
import { ec2ClientsForAccounts } from './adapters/member-accounts.ts';
import { loadConfig } from './config.ts';
import { pacedClientVpn } from './pacing.ts';
import { processRevocationBatch } from './process-batch.ts';
import { revokeAccess } from './revoke-access.ts';
import { lastTerminateStart } from './terminate-connections.ts';

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
const identityStoreUserName = identityStoreUserNames(config.identityStoreRegion, instrumentClient);
const cognitoUserName = cognitoUserNames(instrumentClient);

const processBatch = processRevocationBatch({
  revoke: revokeAccess(
    {
      // Paced below EC2's bucket refill so other callers in the account keep tokens (lambda/revoker/pacing.ts).
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
  lookUpUserName: (reference) =>
    reference.kind === 'identity-store-user' ? identityStoreUserName(reference) : cognitoUserName(reference),
  sources: config.sources,
  ...(config.ledger && {
    ledger: dynamoDbLedger(instrumentClient(new DynamoDBClient({ retryMode: 'adaptive', maxAttempts: 5 })), {
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
  now: Date.now,
  logger,
  metrics,
});

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(instrumentation.tracing)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  // After logMetrics, so that its flush includes the count.
  .use(instrumentation.ec2ThrottlingMetric(metrics, EC2_THROTTLED_METRICS.revoker))
  .handler((event, context) =>
    processBatch(event.Records, {
      deadline: lastTerminateStart(Date.now(), context.getRemainingTimeInMillis()),
    }),
  );
