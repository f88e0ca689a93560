import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesize } from '../../local/synth.ts';
import { TEST_IDENTITY_CONTEXT, TEST_SOURCES_CONTEXT } from '../support/sources-context.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `cdk synth` output of this test run. */
    cdkOut: string;
  }
}

/**
 * One `cdk synth` per test run, into a directory of its own so it never races a developer's `cdk synth`,
 * the demo or another test run: integration tests load the bundle and environment it produces.
 */
export default function setup(project: TestProject) {
  const cdkOut = mkdtempSync(join(tmpdir(), 'client-vpn-revoker-cdk-out-'));
  // cdk.json's example configuration, plus every identity source, so their synthesized rules are tested too,
  // and Active Directory domains, so the functions match `CORP\\user` and `user@corp.example.com` as `user`.
  synthesize(cdkOut, { ...TEST_SOURCES_CONTEXT, ...TEST_IDENTITY_CONTEXT });
  project.provide('cdkOut', cdkOut);
  return () => rmSync(cdkOut, { recursive: true, force: true });
}
