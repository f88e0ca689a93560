import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DEMO_VICTIM } from '../../emulator/index.ts';
import type { RevocationLedger } from '../../lambda/core/ledger.ts';
import { outcomeDetailSchema } from '../../lambda/core/outcome.ts';
import type { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { DEFAULT_RUNBOOK_EVENT_BUS, DEFAULT_RUNBOOK_SOURCE } from '../../sources/runbook/events.ts';
import { deliveredExample, LIFT_EXAMPLES, NEGATIVE_EXAMPLES } from '../support/examples.ts';
import { startSourcesRevoker } from '../support/sources-revoker.ts';

// Every example event in examples/events/ goes through the synthesized rules (test context enables every
// source: test/support/sources-context.ts) to the bundled function, against the emulator.
const ENDPOINT = 'cvpn-endpoint-0aaa00000000000e1';

/** Partner events arrive on the partner bus named after their source; AWS events on the default bus. */
const busOf = (event: { source: string }) => {
  if (event.source.startsWith('aws.partner/')) return event.source;
  return event.source === DEFAULT_RUNBOOK_SOURCE ? DEFAULT_RUNBOOK_EVENT_BUS : 'default';
};

let revoker: RevokerOnEmulator;
let ledger: RevocationLedger;
beforeAll(async () => {
  ({ revoker, ledger } = await startSourcesRevoker(inject('cdkOut'), ENDPOINT));
});
afterAll(async () => {
  await revoker.stop();
});
beforeEach(async () => {
  revoker.emulator.reset();
  await revoker.dynamo?.reset();
});

/** Jane, revoked in the ledger long before any example event happened. */
const revokeJaneLongAgo = () =>
  ledger.recordRevocation({
    identity: DEMO_VICTIM,
    source: 'test',
    reason: 'offboarding',
    requestId: 'earlier',
    eventTime: '2020-01-01T00:00:00Z',
  });

async function deliver(name: string) {
  const event = deliveredExample(name);
  const report = await revoker.deliver([{ event, eventBusName: busOf(event) }]);
  const outcomes = revoker.emulator
    .publishedEvents()
    .map((published) => outcomeDetailSchema.parse(published.detail));
  const janeLive = revoker.emulator
    .connections()
    .filter((c) => c.username.toLowerCase() === DEMO_VICTIM && c.status === 'active');
  const johnLive = revoker.emulator.connections({ username: 'john@example.com', status: 'active' });
  return { event, report, outcomes, janeLive, johnLive };
}

describe('identity sources end to end (synthesized rules → bundled Lambda → emulator)', () => {
  it.each([
    'okta-user-deactivate.json',
    'okta-user-suspend.json',
    'okta-user-delete-initiated.json',
    'okta-user-session-clear.json',
    'okta-user-account-lock.json',
    'auth0-sdu-user-deleted.json',
    'auth0-sapi-user-blocked.json',
    'auth0-limit-wc.json',
    'idc-console-disableuser.json',
    'idc-console-deleteuser.json',
    'idc-identitystore-deleteuser.json',
    'idc-scim-deleteuser.json',
    'idc-scim-patchuser-deactivate.json',
    'cognito-admindisableuser.json',
    'cognito-admindeleteuser.json',
    'cognito-adminuserglobalsignout-hidden-username.json',
  ])('%s revokes jane.doe@example.com and nobody else', async (name) => {
    // Act
    const { event, report, outcomes, janeLive, johnLive } = await deliver(name);

    // Assess
    expect(report.unmatched).toBe(0);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ requestId: event.id, status: 'revoked', identity: DEMO_VICTIM });
    expect(outcomes[0]?.summary.connectionsTerminated).toBe(2);
    expect(janeLive).toEqual([]);
    expect(johnLive).toHaveLength(1);
  });

  it.each(LIFT_EXAMPLES)('%s lifts an earlier revocation of jane.doe@example.com', async (name) => {
    // Prepare: Jane was revoked long before the re-enable
    await revokeJaneLongAgo();

    // Act
    const { event, report, outcomes, janeLive } = await deliver(name);

    // Assess
    expect(report.unmatched).toBe(0);
    expect(outcomes).toEqual([
      expect.objectContaining({
        requestId: event.id,
        action: 'lift',
        status: 'lifted',
        identity: DEMO_VICTIM,
        ledger: expect.objectContaining({ status: 'recorded', state: 'lifted' }),
      }),
    ]);
    expect(await ledger.findRevoked([DEMO_VICTIM])).toEqual([]);
    expect(janeLive).toHaveLength(2);
  });

  it.each(NEGATIVE_EXAMPLES)('%s revokes and lifts nobody', async (name) => {
    // Prepare
    await revokeJaneLongAgo();

    // Act
    const { report, outcomes, janeLive } = await deliver(name);

    // Assess: no rule routes it, or the function rejects it
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(report.unmatched + outcomes.length).toBe(1);
    expect(janeLive).toHaveLength(2);
    expect(await ledger.findRevoked([DEMO_VICTIM])).toHaveLength(1);
  });

  it.each([
    [
      'a lookalike Okta org',
      { source: 'aws.partner/okta.com/example-org-evil/vpn-kill-switch' },
      'okta-user-deactivate.json',
    ],
    ['a different detail-type', { 'detail-type': 'Okta Log Event' }, 'okta-user-deactivate.json'],
    ['a custom source on the default bus', { source: 'aws-sso-directory' }, 'idc-console-disableuser.json'],
    [
      'another Auth0 tenant',
      { source: 'aws.partner/auth0.com/other-tenant-1a2b3c4d/auth0.logs' },
      'auth0-sdu-user-deleted.json',
    ],
  ])('%s matches no rule', async (_case, change, name) => {
    // Prepare
    const original = deliveredExample(name);
    const event = { ...original, ...change };

    // Act: on the bus the genuine event arrives on, so the rule's own pattern must refuse it
    const report = await revoker.deliver([{ event, eventBusName: busOf(original) }]);

    // Assess
    expect(report.unmatched).toBe(1);
    expect(revoker.emulator.publishedEvents()).toEqual([]);
  });

  it('rejects an Auth0 API delete that names the user only by id, saying which field to use', async () => {
    // Act
    const { outcomes, janeLive } = await deliver('auth0-sapi-user-deleted.json');

    // Assess
    expect(outcomes[0]).toMatchObject({ status: 'rejected' });
    expect(outcomes[0]?.message).toMatch(/identityMapping\.field/);
    expect(janeLive).toHaveLength(2);
  });

  it('takes OneLogin events to the function with the name OneLogin gives', async () => {
    // Act
    const { outcomes } = await deliver('onelogin-user-suspended.json');

    // Assess: OneLogin's user_name is a display name; see docs/sources.md for mapping it
    expect(outcomes[0]).toMatchObject({ status: 'nothing-to-revoke', identity: 'Jane Doe' });
  });
});
