import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DIRECTORY_SYNC_METRICS } from '../../contracts/metrics.ts';
import { dynamoDbUserDirectory } from '../core/adapters/dynamodb-user-directory.ts';
import { loadInstrumentation } from '../core/adapters/instrument-client.ts';
import { userListings } from './adapters/user-listings.ts';
import { loadDirectorySyncConfig } from './config.ts';
import { type SyncReport, syncUserDirectory } from './sync-directory.ts';

const config = loadDirectorySyncConfig();
const logger = new Logger();
const metrics = new Metrics();
const instrumentation = await loadInstrumentation();
const { instrumentClient } = instrumentation;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const sync = syncUserDirectory({
  listings: userListings(config, instrumentClient),
  directory: dynamoDbUserDirectory(
    instrumentClient(new DynamoDBClient({ retryMode: 'adaptive', maxAttempts: 5 })),
    { ...config.userDirectory, now: Date.now, sleep },
  ),
  // Five pages a second at most: well below the Identity Store and Cognito ListUsers rates.
  pauseBetweenPagesMs: 200,
  sleep,
});

/**
 * Invoked by EventBridge Scheduler. An incomplete listing is logged and counted (DirectorySyncFailed, alarmed)
 * but does not fail the invocation: the next scheduled sync lists everything again, which a retry would only
 * repeat sooner.
 */
export const handler = middy<unknown, SyncReport, Error, Context>()
  .use(instrumentation.tracing)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async () => {
    const report = await sync();
    metrics.addMetric(DIRECTORY_SYNC_METRICS.usersRecorded, MetricUnit.Count, report.usersRecorded);
    const failed = report.listings.filter((listing) => !listing.complete);
    metrics.addMetric(DIRECTORY_SYNC_METRICS.syncFailed, MetricUnit.Count, failed.length);
    for (const listing of failed) logger.error('User directory sync incomplete', { ...listing });
    logger.info('User directory synced', { ...report });
    return report;
  });
