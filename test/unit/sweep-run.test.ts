import { describe, expect, it, vi } from 'vitest';
import { protectedIdentities } from '../../lambda/core/protected-identities.ts';
import type { SweepOutcomeDetail } from '../../lambda/core/sweep-outcome.ts';
import type { PublishResult } from '../../lambda/engine/adapters/eventbridge-outcomes.ts';
import { SweepOutcomeNotPublishedError, scheduledSweep, sweepIdOf } from '../../lambda/sweeper/run-sweep.ts';
import { sweepSessions } from '../../lambda/sweeper/sweep.ts';
import { FakeClientVpn, fakeClock } from '../support/fake-client-vpn.ts';

const EAST = 'us-east-1';
const SAML = 'cvpn-endpoint-0aaa0000000000001';

function setup(options: { published?: PublishResult; unreachable?: boolean } = {}) {
  const fake = new FakeClientVpn().addEndpoint(EAST, SAML);
  if (options.unreachable) fake.failEndpoint(EAST, SAML, 'UnauthorizedOperation');
  const clock = fakeClock();
  const result: PublishResult = options.published ?? { published: true };
  const publish = vi.fn(async (outcomes: readonly SweepOutcomeDetail[]) => outcomes.map(() => result));
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const metrics = { addMetric: vi.fn() };
  const run = scheduledSweep({
    sweep: sweepSessions(
      {
        clientVpn: fake.forRegion,
        ledger: { listRevoked: async () => [], keepUntilLifted: async () => 0 },
        protectedIdentities: protectedIdentities([]),
        ...clock,
      },
      {
        regions: [EAST],
        endpoints: { kind: 'all' },
        maxSessionAgeMs: 60 * 60_000,
        terminateRetryBudgetMs: 30_000,
        dryRun: false,
      },
    ),
    publish,
    logger,
    metrics,
  });
  const sweep = () => run({ sweepId: 'sweep-1', deadline: clock.now() + 120_000 });
  return { fake, publish, logger, metrics, sweep };
}

describe('scheduledSweep', () => {
  it('publishes one outcome per sweep and returns its summary', async () => {
    // Prepare
    const { fake, publish, logger, metrics, sweep } = setup();
    fake.connect(EAST, SAML, { username: 'alice@example.com', establishedTime: '2026-11-22 08:00:00' });

    // Act
    const summary = await sweep();

    // Assess
    expect(summary).toEqual({
      sweepId: 'sweep-1',
      status: 'swept',
      dryRun: false,
      counts: expect.objectContaining({ connectionsFound: 1, connectionsTerminated: 1 }),
    });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish.mock.calls[0]?.[0]).toEqual([
      expect.objectContaining({ sweepId: 'sweep-1', status: 'swept' }),
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      'Sweep outcome published',
      expect.objectContaining({ status: 'swept' }),
    );
    expect(metrics.addMetric).toHaveBeenCalledWith('SweepOutcome-swept', 'Count', 1);
    expect(metrics.addMetric).toHaveBeenCalledWith('SweepConnectionsTerminated', 'Count', 1);
  });

  it('returns normally from an incomplete sweep, with a warning: the next sweep retries', async () => {
    // Prepare
    const { logger, metrics, sweep } = setup({ unreachable: true });

    // Act
    const summary = await sweep();

    // Assess
    expect(summary.status).toBe('failed');
    expect(summary.message).toBe('1 endpoint(s) or region(s) could not be read');
    expect(logger.warn).toHaveBeenCalledWith(
      'Sweep incomplete; the next scheduled sweep retries',
      expect.objectContaining({
        errors: [expect.objectContaining({ endpointId: SAML, code: 'UnauthorizedOperation' })],
      }),
    );
    expect(metrics.addMetric).toHaveBeenCalledWith('SweepOutcome-failed', 'Count', 1);
  });

  it('fails the invocation when the outcome cannot be published, so Lambda retries it', async () => {
    // Prepare
    const { logger, metrics, sweep } = setup({
      published: { published: false, error: 'InternalFailure: Internal service failure' },
    });

    // Act
    const attempt = sweep();

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SweepOutcomeNotPublishedError);
    await expect(attempt).rejects.toThrow('Sweep sweep-1: outcome not published (InternalFailure');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(metrics.addMetric).toHaveBeenCalledWith('SweepOutcomePublishFailed', 'Count', 1);
  });
});

describe('sweepIdOf', () => {
  it.each([
    ['a Scheduler payload naming the execution', { sweepId: 'execution-7f3a' }, 'execution-7f3a'],
    [
      'an EventBridge scheduled event',
      { id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa', source: 'aws.events' },
      '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    ],
    ['a payload without an id', { sweep: 'scheduled' }, 'request-1'],
    ['an empty id', { sweepId: '' }, 'request-1'],
    ['a non-object payload', 'tick', 'request-1'],
    ['no payload', undefined, 'request-1'],
    ['a non-string id', { id: 42 }, 'request-1'],
  ])('takes the id from %s', (_case, event, expected) => {
    // Act
    const sweepId = sweepIdOf(event, 'request-1');

    // Assess
    expect(sweepId).toBe(expected);
  });
});
