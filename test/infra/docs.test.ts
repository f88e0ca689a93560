import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addClientVpnRevokerStacks } from '../../lib/app.ts';
import { CONTEXT_KEYS, parseContext } from '../../lib/config.ts';
import { unacknowledgedNagFindings } from './synth.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('has one table row per ClientVpnRevokerProps prop and names every context key', () => {
    // Prepare
    const source = read('../../lib/client-vpn-revoker.ts');
    const body = source.slice(source.indexOf('export interface ClientVpnRevokerProps {'));
    const props = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}readonly (\w+)\??:/gm)].map(
      (m) => m[1],
    );
    const doc = read('../../docs/configuration.md');
    const table = doc.slice(doc.indexOf('## Props and context keys'), doc.indexOf('## Deploy'));

    // Act
    const rows = [...table.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]);

    // Assess
    expect(props.length).toBeGreaterThan(10);
    expect(rows).toEqual(props);
    for (const key of CONTEXT_KEYS) expect(table).toContain(`\`${key}\``);
  });
});

/** What the docs' placeholders stand for, so their commands can be synthesized as written. */
const PLACEHOLDERS: Record<string, string> = {
  '<org>/<name>': 'example-org/client-vpn-revoker',
  '<MemberAccountTrustedRoleArns>':
    'arn:aws:iam::111122223333:role/ClientVpnRevoker-RevokerRole,arn:aws:iam::111122223333:role/ClientVpnRevoker-SweeperRole',
};

/** Every `npx cdk deploy` command in the shell blocks of the README and docs/, continuation lines joined. */
function deployCommands(): { file: string; command: string }[] {
  const files = ['README.md', 'docs/configuration.md', 'docs/operations.md', 'docs/incident-response.md'];
  return files.flatMap((file) =>
    [...read(`../../${file}`).matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].flatMap(([, block]) =>
      (block ?? '')
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('npx cdk deploy'))
        .map((command) => ({ file, command })),
    ),
  );
}

/** The stack names and `-c key=value` context of a deploy command, placeholders filled in. */
function parseDeploy(command: string) {
  let filled = command;
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS))
    filled = filled.replaceAll(placeholder, value);
  expect(filled, 'a placeholder PLACEHOLDERS does not know').not.toMatch(/<[^>]+>/);
  const words = filled.split(/\s+/).slice(3);
  const context: Record<string, string> = {};
  const stacks: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '-c') {
      const [key = '', ...value] = (words[++i] ?? '').split('=');
      context[key] = value.join('=');
    } else if (!word.startsWith('-')) stacks.push(word);
  }
  return { stacks, context };
}

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
