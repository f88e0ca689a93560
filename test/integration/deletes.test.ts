import { randomUUID } from 'node:crypto';
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteUserCommand } from '@aws-sdk/client-identitystore';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DEMO_IDENTITY_STORE_ID, DEMO_VICTIM, DEMO_VICTIM_USER_ID } from '../../emulator/index.ts';
import type { RevocationLedger } from '../../lambda/core/ledger.ts';
import { outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import type { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { cognitoClient, identityStoreClient } from '../emulator/helpers.ts';
import { deliveredExample } from '../support/examples.ts';
import { EXAMPLE_USER_POOL, startSourcesRevoker } from '../support/sources-revoker.ts';

// Deletes that name the user only by an id, on the synthesized stack (test/support/sources-context.ts enables
// Identity Center with store d-9067a1b2c3 and Cognito pool us-east-1_ExAmPlE12): the user is deleted in the
// emulator, for real, before the CloudTrail event of the delete is processed.
const ENDPOINT = 'cvpn-endpoint-0aaa00000000000d1';
const NEVER_KNOWN = 'aaaaaaaa-e0b1-7052-3b5e-7c1f2a9d6e01';

let revoker: RevokerOnEmulator;
let ledger: RevocationLedger;
beforeAll(async () => {
  ({ revoker, ledger } = await startSourcesRevoker(inject('cdkOut'), ENDPOINT, [
    { userId: '0b1c2d3e-e0b1-7052-3b5e-7c1f2a9d6e01', userName: 'john@example.com' },
  ]));
});
afterAll(async () => {
  await revoker.stop();
});
beforeEach(async () => {
  revoker.emulator.reset();
  await revoker.dynamo?.reset();
});

/** The example event as a new delivery (its own id), optionally with a changed CloudTrail detail. */
function deleteEvent(name: string, change: (detail: Record<string, unknown>) => void = () => {}) {
  const event = structuredClone(deliveredExample(name)) as ReturnType<typeof deliveredExample> & {
    detail: Record<string, unknown>;
  };
  change(event.detail);
  return { ...event, id: randomUUID() };
}

async function deliver(event: { id: string }) {
  const report = await revoker.deliver([{ event, eventBusName: 'default' }]);
  const outcomes = revoker.emulator
    .publishedEvents()
    .map((published) => outcomeDetailSchema.parse(published.detail))
    .filter((outcome) => outcome.requestId === event.id);
  const live = (username: string) =>
    revoker.emulator
      .connections()
      .filter((c) => c.username.toLowerCase() === username && c.status === 'active');
  return { report, outcomes, janeLive: live(DEMO_VICTIM), johnLive: live('john@example.com') };
}

/** What the sync function emitted as EMF metrics. */
const metricsOf = (logs: readonly string[]) =>
  logs.flatMap((line) => {
    const record = line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {};
    return '_aws' in record ? [record] : [];
  });

describe('a delete of a user who no longer exists (synthesized stack → bundled functions → emulator)', () => {
  it.each(['idc-console-deleteuser.json', 'idc-identitystore-deleteuser.json', 'idc-scim-deleteuser.json'])(
    '%s: synced, deleted in the Identity Store, then named from the user directory and revoked',
    async (name) => {
      // Prepare: the scheduled sync records Jane; then she is deleted for real
      const sync = await revoker.syncUserDirectory();
      expect(sync).toMatchObject({ kind: 'result', result: { complete: true, usersRecorded: 3 } });
      await identityStoreClient(revoker.emulator).send(
        new DeleteUserCommand({ IdentityStoreId: DEMO_IDENTITY_STORE_ID, UserId: DEMO_VICTIM_USER_ID }),
      );

      // Act
      const { report, outcomes, janeLive, johnLive } = await deliver(deleteEvent(name));

      // Assess
      expect(report.deadLettered).toEqual([]);
      expect(outcomes).toEqual([expect.objectContaining({ status: 'revoked', identity: DEMO_VICTIM })]);
      expect(outcomes[0]?.summary.connectionsTerminated).toBe(2);
      expect(janeLive).toEqual([]);
      expect(johnLive).toHaveLength(1);
      expect(await ledger.findRevoked([DEMO_VICTIM])).toEqual([
        expect.objectContaining({ identity: DEMO_VICTIM, state: 'revoked' }),
      ]);
    },
  );

  it('a Cognito AdminDeleteUser with a hidden username: synced, deleted in the pool, named and revoked', async () => {
    // Prepare
    await revoker.syncUserDirectory();
    await cognitoClient(revoker.emulator).send(
      new AdminDeleteUserCommand({ UserPoolId: EXAMPLE_USER_POOL, Username: DEMO_VICTIM }),
    );
    const event = deleteEvent('cognito-admindeleteuser.json', (detail) => {
      (detail.requestParameters as Record<string, unknown>).username = 'HIDDEN_DUE_TO_SECURITY_REASONS';
    });

    // Act
    const { outcomes, janeLive, johnLive } = await deliver(event);

    // Assess
    expect(outcomes).toEqual([expect.objectContaining({ status: 'revoked', identity: DEMO_VICTIM })]);
    expect(janeLive).toEqual([]);
    expect(johnLive).toHaveLength(1);
    expect(await ledger.findRevoked([DEMO_VICTIM])).toHaveLength(1);
  });

  it('a user the revoker looked up once is named when deleted later, without any sync', async () => {
    // Prepare: a disable of Jane is looked up (and recorded); then she is deleted
    await deliver(deleteEvent('idc-console-disableuser.json'));
    await identityStoreClient(revoker.emulator).send(
      new DeleteUserCommand({ IdentityStoreId: DEMO_IDENTITY_STORE_ID, UserId: DEMO_VICTIM_USER_ID }),
    );

    // Act
    const { outcomes } = await deliver(deleteEvent('idc-console-deleteuser.json'));

    // Assess
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'nothing-to-revoke', identity: DEMO_VICTIM }),
    ]);
  });

  it('a delete of a user never known fails on every delivery, is dead-lettered and counted, never rejected', async () => {
    // Prepare: nobody ever recorded this id
    const event = deleteEvent('idc-identitystore-deleteuser.json', (detail) => {
      (detail.requestParameters as Record<string, unknown>).userId = NEVER_KNOWN;
    });
    const logsBefore = revoker.lambda.logs.length;

    // Act
    const { report, outcomes, janeLive } = await deliver(event);

    // Assess
    expect(report.deadLettered.map((body) => (JSON.parse(body) as { id: string }).id)).toEqual([event.id]);
    expect(outcomes.length).toBe(revoker.stack.maxReceiveCount);
    expect(outcomes.every((outcome) => outcome.status === 'failed')).toBe(true);
    expect(outcomes.map((outcome) => outcome.delivery.willRetry).at(-1)).toBe(false);
    expect(outcomes[0]?.message).toMatch(/no longer exists and the user directory has no record of it/);
    const unresolved = metricsOf(revoker.lambda.logs.slice(logsBefore)).filter(
      (m) => 'IdentityUnresolved' in m,
    );
    expect(unresolved).toHaveLength(revoker.stack.maxReceiveCount);
    expect(janeLive).toHaveLength(2);
  });
});
