import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../lib/bundling/bundle-function.ts';
import { literalSchemaKeys } from '../../lib/bundling/esbuild-plugins.ts';

const evaluate = (source: string): unknown => new Function(`${source}\nreturn Shape;`)();

describe('literalSchemaKeys', () => {
  const schemas = [
    'const _xN = "xmlName";',
    'const _eQN = "ec2QueryName";',
    'const _m = "min";',
    'var Shape = [3, "ns", "S", 0, ["Min", "Max"],',
    '    [[1, { [_eQN]: `Min`,',
    '                [_xN]: _m }], [1, { [_eQN]: `Max`, [unknown]: 1 }]]',
    '];',
  ].join('\n');
  const withUnknown = (source: string) => `const unknown = "other";\n${source}`;

  it('writes computed keys of module string constants as literal keys', () => {
    const result = literalSchemaKeys(schemas);
    expect(result).toContain('{ "ec2QueryName": `Min`');
    expect(result).toContain('"xmlName": _m }');
    expect(result).not.toMatch(/\[_\w+\]:/);
  });

  it('leaves keys that are not module constants computed', () => {
    expect(literalSchemaKeys(schemas)).toContain('[unknown]: 1');
  });

  it('builds exactly the same shapes', () => {
    expect(evaluate(withUnknown(literalSchemaKeys(schemas)))).toStrictEqual(evaluate(withUnknown(schemas)));
  });
});

describe('bundleFunction', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bundle-function-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('keeps only the EC2 shapes a handler uses, and the Lambda credential chain', async () => {
    const entry = fileURLToPath(new URL('../fixtures/describe-connections-handler.ts', import.meta.url));
    const metafile = await bundleFunction({ entry, outdir: join(outdir, 'out') });
    const ec2Bytes = Object.values(metafile.outputs)
      .flatMap((output) => Object.entries(output.inputs))
      .filter(([path]) => path.includes('@aws-sdk/client-ec2/'))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
    // Without the plugin every EC2 shape (≈ 550 KB minified) is kept.
    expect(ec2Bytes).toBeLessThan(40_000);
    const bundle = readFileSync(join(outdir, 'out', 'index.mjs'), 'utf8');
    expect(bundle).toContain('DescribeClientVpnConnections');
    expect(bundle).not.toContain('RunInstances');
    const inputs = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(inputs.some((path) => path.includes('lambda-credentials.ts'))).toBe(true);
    expect(
      inputs.filter((path) => /credential-provider-(node|ini|sso|web-identity|process)\//.test(path)),
    ).toEqual([]);
  });
});
