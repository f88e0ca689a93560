import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SdkClient } from '../../lambda/core/adapters/instrument-client.ts';
import { ClientVpnApiError } from '../../lambda/core/errors.ts';
import {
  assumedRoleCredentials,
  ec2ClientsForAccounts,
} from '../../lambda/engine/adapters/member-accounts.ts';

const ROLE = 'arn:aws:iam::222233334444:role/ClientVpnRevokerMember';
const OWN = '111122223333';
const MEMBER = '222233334444';
const T0 = Date.parse('2026-12-05T12:00:00Z');
const HOUR = 3_600_000;

const sts = mockClient(STSClient);

/** What STS answers: credentials numbered by call, valid for an hour from `issuedAt`. */
function answerWithCredentials(issuedAt: () => number) {
  let issued = 0;
  sts.on(AssumeRoleCommand).callsFake(async () => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `ASIAMEMBER${issued}`,
        SecretAccessKey: `secret-${issued}`,
        SessionToken: `token-${issued}`,
        Expiration: new Date(issuedAt() + HOUR),
      },
    };
  });
}

beforeEach(() => {
  sts.reset();
});

describe('assumed-role credentials', () => {
  it('assumes the role once for concurrent callers, with a session name CloudTrail shows', async () => {
    // Prepare
    answerWithCredentials(() => T0);
    const credentials = assumedRoleCredentials(ROLE, { sessionName: 'client-vpn-revoker', now: () => T0 });

    // Act
    const answers = await Promise.all([credentials(), credentials(), credentials()]);

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'client-vpn-revoker',
      DurationSeconds: 3600,
    });
    expect(answers.map((answer) => answer.accessKeyId)).toEqual([
      'ASIAMEMBER1',
      'ASIAMEMBER1',
      'ASIAMEMBER1',
    ]);
    expect(answers[0]).toMatchObject({ secretAccessKey: 'secret-1', sessionToken: 'token-1' });
  });

  it('keeps the credentials while they are fresh and renews them five minutes before they expire', async () => {
    // Prepare
    let now = T0;
    answerWithCredentials(() => now);
    const credentials = assumedRoleCredentials(ROLE, { sessionName: 'client-vpn-revoker', now: () => now });
    await credentials();

    // Act
    now = T0 + HOUR - 6 * 60_000;
    const stillFresh = await credentials();
    now = T0 + HOUR - 4 * 60_000;
    const renewed = await credentials();

    // Assess
    expect(stillFresh.accessKeyId).toBe('ASIAMEMBER1');
    expect(renewed.accessKeyId).toBe('ASIAMEMBER2');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('throws an error naming the role when it cannot be assumed, and tries again on the next call', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(
        Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
        }),
      )
      .resolves({
        Credentials: {
          AccessKeyId: 'ASIAMEMBERLATER',
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date(T0 + HOUR),
        },
      });
    const credentials = assumedRoleCredentials(ROLE, { sessionName: 'client-vpn-revoker', now: () => T0 });

    // Act
    const failure = await credentials().catch((error: unknown) => error);
    const later = await credentials();

    // Assess
    expect(failure).toBeInstanceOf(ClientVpnApiError);
    expect(failure).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect((failure as Error).message).toBe(
      `Could not assume ${ROLE}: User is not authorized to perform: sts:AssumeRole`,
    );
    expect(later.accessKeyId).toBe('ASIAMEMBERLATER');
  });

  it('rejects an answer without credentials rather than signing with none', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({});
    const credentials = assumedRoleCredentials(ROLE, { sessionName: 'client-vpn-revoker', now: () => T0 });

    // Act
    const failure = await credentials().catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ClientVpnApiError);
    expect((failure as Error).message).toContain('STS answered without credentials');
  });
});

describe('EC2 clients for the accounts searched', () => {
  it("signs a member account's calls with its role and the own account's with the function's credentials", async () => {
    // Prepare
    answerWithCredentials(() => T0);
    const instrumented: (string | undefined)[] = [];
    const instrumentClient = <Client extends SdkClient>(client: Client) => {
      instrumented.push(client.config.serviceId);
      return client;
    };
    const clientFor = ec2ClientsForAccounts([{ accountId: OWN }, { accountId: MEMBER, roleArn: ROLE }], {
      sessionName: 'client-vpn-revoker',
      stsRegion: 'us-east-1',
      now: () => T0,
      instrumentClient,
    });

    // Act
    const member = clientFor('eu-west-1', MEMBER);
    const own = clientFor('eu-west-1', OWN);
    const memberCredentials = await member.config.credentials();

    // Assess
    expect(memberCredentials.accessKeyId).toBe('ASIAMEMBER1');
    expect(await member.config.region()).toBe('eu-west-1');
    // The own account's client resolves the default chain (here, no role is assumed for it).
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(own).not.toBe(member);
    // Both EC2 clients, and the STS client behind the role, are instrumented.
    expect(instrumented).toEqual(['EC2', 'EC2', 'STS']);
  });
});
