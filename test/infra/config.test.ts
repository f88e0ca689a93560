import { describe, expect, it } from 'vitest';
import { ContextError, parseContext, readContext } from '../../lib/config.ts';
import { testApp } from './synth.ts';

describe('context validation (lib/config.ts)', () => {
  it('accepts -c style strings: comma lists, "true"/"false", numbers, key=value', () => {
    // Act
    const config = parseContext({
      regions: 'eu-west-1, us-east-1',
      endpoints: 'eu-west-1:cvpn-endpoint-0123456789abcdef0,cvpn-endpoint-0fedcba9876543210',
      oktaEventSources: 'aws.partner/okta.com/acme/revoker',
      oktaEventTypes: 'user.lifecycle.suspend',
      dryRun: 'true',
      runbookEnabled: 'false',
      maxConcurrency: '4',
      timeoutSeconds: '300',
      logRetentionDays: '90',
    });

    // Assess
    expect(config).toEqual({
      regions: ['eu-west-1', 'us-east-1'],
      endpoints: [
        { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { endpointId: 'cvpn-endpoint-0fedcba9876543210' },
      ],
      oktaEventSources: ['aws.partner/okta.com/acme/revoker'],
      oktaEventTypes: ['user.lifecycle.suspend'],
      dryRun: true,
      runbookEnabled: false,
      maxConcurrency: 4,
      timeoutSeconds: 300,
      logRetentionDays: 90,
    });
  });

  it('accepts cdk.json JSON values, and JSON passed as a -c string', () => {
    // Act
    const json = parseContext({
      regions: ['eu-west-1'],
      endpoints: [
        { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        'cvpn-endpoint-0fedcba9876543210',
      ],
      dryRun: false,
      maxConcurrency: 10,
    });
    const jsonString = parseContext({
      endpointTag: '{"key":"team","value":"sec=ops"}',
      regions: '["eu-west-1"]',
    });

    // Assess
    expect(json).toEqual({
      regions: ['eu-west-1'],
      endpoints: [
        { region: 'eu-west-1', endpointId: 'cvpn-endpoint-0123456789abcdef0' },
        { endpointId: 'cvpn-endpoint-0fedcba9876543210' },
      ],
      dryRun: false,
      maxConcurrency: 10,
    });
    expect(jsonString).toEqual({ endpointTag: { key: 'team', value: 'sec=ops' }, regions: ['eu-west-1'] });
  });

  it('parses endpointTag key=value (first "=" splits) and key alone', () => {
    // Act
    const withValue = parseContext({ endpointTag: 'team=sec=ops' });
    const keyOnly = parseContext({ endpointTag: 'revoker-managed' });

    // Assess
    expect(withValue.endpointTag).toEqual({ key: 'team', value: 'sec=ops' });
    expect(keyOnly.endpointTag).toEqual({ key: 'revoker-managed' });
  });

  it('returns nothing for an empty context (the construct defaults apply)', () => {
    // Act / Assess
    expect(parseContext({})).toEqual({});
    expect(readContext(testApp())).toEqual({});
  });

  it('reads the keys from the app context', () => {
    // Prepare
    const app = testApp({ regions: 'us-west-2', dryRun: 'true', unrelated: 'ignored' });

    // Act
    const config = readContext(app);

    // Assess
    expect(config).toEqual({ regions: ['us-west-2'], dryRun: true });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a bad region',
      { regions: 'eu-west-1,Europe' },
      'context key regions (at 1): expected an AWS region such as us-east-1',
    ],
    ['an empty list', { regions: '' }, 'context key regions: expected at least one region'],
    [
      'a bad endpoint',
      { endpoints: 'eu-west-1:vpn-123' },
      'context key endpoints (at 0.endpointId): expected cvpn-endpoint-<8 to 17 hex digits>',
    ],
    ['a non-boolean', { dryRun: 'yes' }, 'context key dryRun: expected true or false'],
    ['a non-integer', { maxConcurrency: 'two' }, 'context key maxConcurrency: expected an integer'],
    ['an out-of-range integer', { maxConcurrency: '1' }, 'context key maxConcurrency: expected at least 2'],
    [
      'an unknown retention',
      { logRetentionDays: 42 },
      'context key logRetentionDays: expected one of 1, 3, 5',
    ],
    [
      'a foreign partner source',
      { oktaEventSources: 'aws.partner/auth0.com/acme/logs' },
      'context key oktaEventSources (at 0): expected aws.partner/okta.com/<org>/<name>',
    ],
    [
      'an unknown Okta event type',
      { oktaEventSources: 'aws.partner/okta.com/a/b', oktaEventTypes: 'user.session.start' },
      'context key oktaEventTypes (at 0): expected one of user.lifecycle.deactivate, user.lifecycle.suspend',
    ],
    [
      'Okta types without sources',
      { oktaEventTypes: 'user.lifecycle.suspend' },
      'context key oktaEventTypes: oktaEventTypes needs oktaEventSources',
    ],
    [
      'both endpoints and endpointTag',
      { endpoints: 'cvpn-endpoint-0123456789abcdef0', endpointTag: 'team' },
      'context key endpointTag: expected either endpoints or endpointTag, not both',
    ],
    [
      'an aws. source',
      { outcomeSource: 'aws.vpn' },
      'context key outcomeSource: expected a source not starting with "aws."',
    ],
    [
      'an empty string',
      { outcomeEventBusName: ' ' },
      'context key outcomeEventBusName: expected a non-empty string',
    ],
    [
      'a wrong type',
      { regions: 42 },
      'context key regions: expected a list (JSON array or comma-separated string)',
    ],
  ])('rejects %s with a message naming the key', (_case, raw, message) => {
    // Act
    const act = () => parseContext(raw);

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it('reports every bad key at once', () => {
    // Act
    const act = () => parseContext({ dryRun: 'yes', maxConcurrency: '0' });

    // Assess
    expect(act).toThrow(/context key dryRun: .*; context key maxConcurrency: /);
  });
});
