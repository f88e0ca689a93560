import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { EC2_THROTTLED_METRICS } from '../../contracts/metrics.ts';
import { dynamoDbLedgerReader } from '../core/adapters/dynamodb-ledger.ts';
import { loadInstrumentation } from '../core/adapters/instrument-client.ts';
import { identityKeyFor } from '../core/identity.ts';
import { protectedIdentities } from '../core/protected-identities.ts';
import { ec2ClientVpnApi } from '../engine/adapters/ec2-client-vpn.ts';
import { eventBridgeSweepOutcomePublisher } from '../engine/adapters/eventbridge-outcomes.ts';
import { ec2ClientsForAccounts } from '../engine/adapters/member-accounts.ts';
import { pacedClientVpn } from '../engine/pacing.ts';
import { lastTerminateStart } from '../engine/terminate-connections.ts';
import { ec2EnableConnectHandler } from './adapters/ec2-connect-handler.ts';
import { loadSweeperConfig } from './config.ts';
import { checkConnectHandlerWiring, handlerLocation, sweepAfterWiring } from './connect-handler-wiring.ts';
import { type SweepSummary, scheduledSweep, sweepIdOf } from './run-sweep.ts';
import { sweepSessions } from './sweep.ts';

const config = loadSweeperConfig();
const logger = new Logger();
const metrics = new Metrics();
// Counts throttled EC2 attempts; with tracing on (and only then) loads the tracer.
const instrumentation = await loadInstrumentation();
const { instrumentClient } = instrumentation;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// One EC2 client per region and account: a member account's through its assumed role (lambda/core/environment.ts).
const createEc2Client = ec2ClientsForAccounts(config.accounts, {
  sessionName: 'client-vpn-revoker-sweeper',
  now: Date.now,
  instrumentClient,
});
const clientVpn = pacedClientVpn(ec2ClientVpnApi(createEc2Client), {
  ...config.pacing,
  now: Date.now,
  sleep,
});
const identityKey = identityKeyFor(config.activeDirectoryDomains);
const ledger =
  config.ledgerTableName === undefined
    ? undefined
    : dynamoDbLedgerReader(instrumentClient(new DynamoDBClient({ retryMode: 'adaptive', maxAttempts: 5 })), {
        tableName: config.ledgerTableName,
        identityKey,
      });

const sweep = sweepSessions(
  {
    clientVpn,
    ...(ledger && { ledger }),
    protectedIdentities: protectedIdentities(config.protectedIdentities, identityKey),
    identityKey,
    now: Date.now,
    sleep,
    random: Math.random,
  },
  config,
);
// With a connect handler, every sweep first checks (and in enforce mode wires) the governed endpoints; only
// those of the handler's own region and account can name it, so ModifyClientVpnEndpoint goes there alone.
const checkWiring = (() => {
  if (!config.connectHandler) return undefined;
  const { handlerArn, wiring } = config.connectHandler;
  const home = handlerLocation(handlerArn);
  return checkConnectHandlerWiring(
    {
      clientVpn,
      enableConnectHandler: ec2EnableConnectHandler(createEc2Client(home.region, home.accountId)),
    },
    { ...config, handlerArn, mode: wiring },
  );
})();

const runSweep = scheduledSweep({
  sweep: checkWiring ? sweepAfterWiring(sweep, checkWiring) : sweep,
  publish: eventBridgeSweepOutcomePublisher(
    instrumentClient(new EventBridgeClient({ retryMode: 'adaptive', maxAttempts: 5 })),
    {
      eventBusName: config.outcomeEventBus,
      source: config.outcomeSource,
      attempts: 3,
      sleep,
    },
  ),
  logger,
  metrics,
});

/** Invoked by EventBridge Scheduler with any payload; returns the sweep's summary. */
export const handler = middy<unknown, SweepSummary, Error, Context>()
  .use(instrumentation.tracing)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  // After logMetrics, so that its flush includes the count.
  .use(instrumentation.ec2ThrottlingMetric(metrics, EC2_THROTTLED_METRICS.sweeper))
  .handler((event, context) =>
    runSweep({
      sweepId: sweepIdOf(event, context.awsRequestId),
      deadline: lastTerminateStart(Date.now(), context.getRemainingTimeInMillis()),
    }),
  );
