import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addClientVpnRevokerStacks } from '../../lib/app.ts';
import { CONTEXT_KEYS, parseContext } from '../../lib/config.ts';
import { deployCommands, parseDeploy } from '../support/deploy-commands.ts';
import { unacknowledgedNagFindings } from './synth.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('has one table row per ClientVpnRevokerProps prop and names every context key', () => {
    // Prepare
    // The construct's own props, and the sources' (ClientVpnRevokerProps extends SourcesProps).
    const propsOf = (file: string, declaration: string) => {
      const source = read(file);
      const body = source.slice(source.indexOf(declaration));
      return [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]);
    };
    const props = [
      ...propsOf(
        '../../lib/client-vpn-revoker-props.ts',
        'export interface ClientVpnRevokerProps extends SourcesProps {',
      ),
      ...propsOf('../../sources/registry.ts', 'export interface SourcesProps {'),
    ];
    const doc = read('../../docs/configuration.md');
    const table = doc.slice(doc.indexOf('## Props and context keys'), doc.indexOf('## Deploy'));

    // Act
    const rows = [...table.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]);

    // Assess
    expect(props.length).toBeGreaterThan(10);
    expect([...rows].sort()).toEqual([...props].sort());
    for (const key of CONTEXT_KEYS) expect(table).toContain(`\`${key}\``);
  });
});

describe("the docs' cdk deploy commands", () => {
  const commands = deployCommands();

  it('are found', () => {
    expect(commands.length).toBeGreaterThanOrEqual(6);
  });

  // cdk.json's example settings (regions, endpointTag, oktaEventSources) replaced by the command's, as the
  // docs say to do; the feature flags kept.
  it.each(commands)('$file: $command synthesizes, cdk-nag clean', ({ command }) => {
    // Prepare
    const { stacks, context } = parseDeploy(command);
    let synthesized: string[] = [];

    // Act
    const findings = unacknowledgedNagFindings((app) => {
      addClientVpnRevokerStacks(app, parseContext(context));
      synthesized = app.node.children.map((child) => child.node.id);
    });

    // Assess
    expect(findings).toEqual([]);
    for (const stack of stacks) expect(synthesized).toContain(stack);
  });
});
