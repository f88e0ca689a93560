import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS } from '../../lib/config.ts';

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
