import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { coldStartFiles, packageScripts } from '../../local/bundle-files.ts';
import { readSynthesizedRevoker, type SynthesizedFunction } from '../../local/cloud-assembly.ts';

// What a cold start loads: the bundle's entry and the chunks it imports statically. Clients used by some
// invocations only (Cognito, Identity Store, Secrets Manager) must stay behind a dynamic import.
const stack = readSynthesizedRevoker(inject('cdkOut'), { region: 'us-east-1', account: '111122223333' });
const functions: [string, SynthesizedFunction | undefined][] = [
  ['revoker', stack],
  ['connect handler', stack.connectHandler],
  ['sweeper', stack.sweeper],
];

const lazyChunks = (entry: string) => {
  const initial = coldStartFiles(entry);
  return packageScripts(entry)
    .filter((file) => !initial.has(file))
    .map((file) => readFileSync(file, 'utf8'));
};

/** Markers of code that must not be loaded at cold start: each names a client or provider unmistakably. */
const NOT_AT_COLD_START = {
  'Cognito client': 'AWSCognitoIdentityProviderService',
  'Identity Store client': 'AWSIdentityStore',
  'Secrets Manager client': 'SecretsManagerServiceException',
  'STS (web identity credentials)': 'AssumeRoleWithWebIdentity',
  'SSO credentials': 'GetRoleCredentials',
  'container credentials provider': 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'unused EC2 operations': 'RunInstances',
};

describe.each(functions)('the %s bundle', (name, fn) => {
  it('is synthesized with its chunks', () => {
    expect(fn, `${name} missing from the synthesized stack`).toBeDefined();
  });

  it('loads at cold start only what every invocation needs', () => {
    if (!fn) return;
    const initial = [...coldStartFiles(fn.bundleFile).values()].join('\n');
    for (const [what, marker] of Object.entries(NOT_AT_COLD_START)) {
      expect(initial.includes(marker), `${what} (${marker}) is in the ${name}'s initial load`).toBe(false);
    }
  });
});

describe('the revoker bundle', () => {
  it('keeps the identity look-up clients and container credentials in chunks loaded only on first use', () => {
    const chunks = lazyChunks(stack.bundleFile).join('\n');
    expect(chunks).toContain(NOT_AT_COLD_START['Cognito client']);
    expect(chunks).toContain(NOT_AT_COLD_START['Identity Store client']);
    expect(chunks).toContain(NOT_AT_COLD_START['container credentials provider']);
  });
});
