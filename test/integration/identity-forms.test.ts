import { EC2Client, ModifyClientVpnEndpointCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Seed } from '../../emulator/index.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';
import { DEFAULT_RUNBOOK_EVENT_BUS } from '../../sources/runbook/events.ts';
import { runbookEvent } from '../support/events.ts';
import { publishedOutcomes, publishedSweeps } from '../support/published.ts';

// One person, many spellings, end to end on the bundles from cdk.out (synthesized with the Active Directory
// domains CORP and corp.example.com): the revoker, the connect handler and the sweeper match every spelling.
const DIRECTORY = 'cvpn-endpoint-0aaa00000000000a1';
const SAML = 'cvpn-endpoint-0bbb00000000000a2';
const CERT = 'cvpn-endpoint-0ccc00000000000a3';
const UNWIRED = 'cvpn-endpoint-0ddd00000000000a4';
const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const BREAK_GLASS_CERT = 'breakglass-cert';
const ENVIRONMENT = {
  EC2_TERMINATE_CALLS_PER_SECOND: '1000',
  EC2_DESCRIBE_CALLS_PER_SECOND: '1000',
  PROTECTED_IDENTITIES: BREAK_GLASS_CERT,
};

const seed: Seed = {
  endpoints: [
    {
      id: DIRECTORY,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'active-directory',
      connections: [{ username: 'CORP\\JDoe' }, { username: 'OTHER\\jdoe' }, { username: 'jdoe2' }],
    },
    {
      id: SAML,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'saml',
      connections: [{ username: 'jdoe@corp.example.com' }, { username: 'Jane.Doe@Example.com' }],
    },
    {
      id: CERT,
      region: 'us-east-1',
      tags: IN_SCOPE,
      authType: 'certificate',
      connections: [{ commonName: 'ＪＤＯＥ' }, { commonName: 'jdoe.example.org' }],
    },
    { id: UNWIRED, region: 'us-east-1', tags: IN_SCOPE, authType: 'saml', connections: [] },
  ],
};

let revoker: RevokerOnEmulator | undefined;
afterEach(async () => {
  await revoker?.stop();
  revoker = undefined;
});

async function start() {
  const r = await RevokerOnEmulator.start({
    seed,
    cdkOut: inject('cdkOut'),
    emulator: { terminateDelayMs: 10 },
    environment: ENVIRONMENT,
  });
  revoker = r;
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: r.emulator.env.AWS_ENDPOINT_URL_EC2,
    credentials: { accessKeyId: 'AKIALOCAL', secretAccessKey: 'local' },
  });
  for (const endpointId of [DIRECTORY, SAML, CERT]) {
    await ec2.send(
      new ModifyClientVpnEndpointCommand({
        ClientVpnEndpointId: endpointId,
        ClientConnectOptions: { Enabled: true, LambdaFunctionArn: r.connectHandlerArn },
      }),
    );
  }
  return r;
}

const liveNames = (r: RevokerOnEmulator) =>
  r.emulator
    .connections()
    .filter((c) => c.status === 'active' || c.status === 'failed-to-terminate')
    .map((c) => c.username || c.commonName)
    .sort();

/** An operator revokes jdoe, whose e-mail is jane.doe@example.com (an alias). */
const revokeJdoe = (r: RevokerOnEmulator) =>
  r.deliver([
    {
      event: runbookEvent({ username: 'jdoe', aliases: ['jane.doe@example.com'], reason: 'IR-2041' }),
      eventBusName: DEFAULT_RUNBOOK_EVENT_BUS,
    },
  ]);

describe('one person, many spellings (Active Directory domains, case, width, aliases)', () => {
  it('ends every session of the person under any spelling and leaves the lookalikes connected', async () => {
    // Prepare
    const r = await start();

    // Act
    await revokeJdoe(r);

    // Assess
    expect(publishedOutcomes(r.emulator)).toEqual([
      expect.objectContaining({
        status: 'revoked',
        identity: 'jdoe',
        aliases: ['jane.doe@example.com'],
        summary: expect.objectContaining({ connectionsFound: 4, connectionsTerminated: 4 }),
      }),
    ]);
    // DIRECTORY also lists its users' certificate CN (the AD name): OTHER\jdoe and jdoe2 stay.
    expect(liveNames(r)).toEqual(['OTHER\\jdoe', 'jdoe.example.org', 'jdoe2'].sort());
  });

  it('denies reconnects under every spelling, even with a protected certificate, and allows everyone else', async () => {
    // Prepare
    const r = await start();
    await revokeJdoe(r);

    // Act
    const attempts = {
      directory: await r.emulator.connect({ endpointId: DIRECTORY, username: 'corp\\JDOE' }),
      saml: await r.emulator.connect({ endpointId: SAML, username: ' JDoe@CORP.example.com' }),
      alias: await r.emulator.connect({ endpointId: SAML, username: 'JANE.DOE@example.com' }),
      fullwidth: await r.emulator.connect({ endpointId: CERT, commonName: 'ｊｄｏｅ' }),
      shielded: await r.emulator.connect({
        endpointId: SAML,
        username: 'jdoe',
        commonName: BREAK_GLASS_CERT,
      }),
      breakGlass: await r.emulator.connect({ endpointId: CERT, commonName: BREAK_GLASS_CERT }),
      otherDomain: await r.emulator.connect({ endpointId: DIRECTORY, username: 'OTHER\\jdoe' }),
      lookalike: await r.emulator.connect({ endpointId: SAML, username: 'jdoe@corp.example.com.evil' }),
    };

    // Assess
    const allowed = Object.fromEntries(
      Object.entries(attempts).map(([name, result]) => [name, result.allowed]),
    );
    expect(allowed).toEqual({
      directory: false,
      saml: false,
      alias: false,
      fullwidth: false,
      shielded: false,
      breakGlass: true,
      otherDomain: true,
      lookalike: true,
    });
  });

  it('ends a session that slipped in under another spelling at the next sweep', async () => {
    // Prepare
    const r = await start();
    await revokeJdoe(r);
    const slipped = await r.emulator.connect({ endpointId: UNWIRED, username: 'JDOE@CORP.EXAMPLE.COM' });
    const aliasSlipped = await r.emulator.connect({
      endpointId: UNWIRED,
      username: 'Jane.Doe@Example.com',
      commonName: BREAK_GLASS_CERT,
    });
    expect([slipped.allowed, aliasSlipped.allowed]).toEqual([true, true]);

    // Act
    await r.sweep('sweep-1');

    // Assess
    const [sweep] = publishedSweeps(r.emulator);
    expect(sweep).toMatchObject({ status: 'swept', counts: { connectionsTerminated: 2 } });
    expect(liveNames(r)).toEqual(['OTHER\\jdoe', 'jdoe.example.org', 'jdoe2'].sort());
  });
});
