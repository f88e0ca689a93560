import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The shape the parts must keep (docs/architecture.md): the engine is shared, never owned by a function;
 * the CDK side loads no AWS SDK and no function adapter; the contracts depend on nothing.
 */
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The modules a file imports: relative files and packages. At run time only, unless `withTypes`
 * (`import type` is erased, but a cycle of types still ties the files together).
 */
function runtimeImports(file: string, withTypes = false): { files: string[]; packages: string[] } {
  const source = readFileSync(file, 'utf8');
  const statement = withTypes
    ? /^(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm
    : /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm;
  const specifiers = [...source.matchAll(statement), ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map(
    (match) => match[1] as string,
  );
  const files: string[] = [];
  const packages: string[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) files.push(join(dirname(file), specifier));
    else packages.push(specifier);
  }
  return { files, packages };
}

/** Every repository file and package reachable from `entry` through run-time imports. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [join(REPOSITORY, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file) || !existsSync(file)) continue;
    files.add(file);
    const imports = runtimeImports(file);
    for (const name of imports.packages) packages.add(name);
    pending.push(...imports.files);
  }
  return { files: new Set([...files].map((file) => relative(REPOSITORY, file))), packages };
}

const under = (files: Set<string>, folder: string) => [...files].filter((file) => file.startsWith(folder));

describe('who may import what', () => {
  it.each([
    ['the sweeper', 'lambda/sweeper/handler.ts'],
    ['the connect handler', 'lambda/connect-handler/handler.ts'],
    ['the CLI', 'cli/main.ts'],
  ])('%s imports nothing from the revoker function', (_, entry) => {
    // Act
    const { files } = closure(entry);

    // Assess
    expect(files.size).toBeGreaterThan(3);
    expect(under(files, 'lambda/revoker/')).toEqual([]);
  });

  it.each([
    ['the library', 'lib/index.ts'],
    ['the CDK app', 'bin/client-vpn-revoker.ts'],
  ])('%s loads no AWS SDK and no function adapter at synth time', (_, entry) => {
    // Act
    const { files, packages } = closure(entry);

    // Assess
    expect(files.size).toBeGreaterThan(10);
    expect(
      [...packages].filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/')),
    ).toEqual([]);
    expect([...files].filter((file) => file.includes('/adapters/'))).toEqual([]);
    expect(under(files, 'lambda/revoker/')).toEqual([]);
  });

  it('the sources load no CDK and no AWS SDK at run time (the revoker bundle reads them)', () => {
    // Act
    const { files, packages } = closure('sources/requests.ts');

    // Assess
    expect(under(files, 'sources/').length).toBeGreaterThan(12);
    expect(
      [...packages].filter((name) => /^(aws-cdk-lib|constructs|cdk-nag|@aws-sdk\/|@smithy\/)/.test(name)),
    ).toEqual([]);
    expect(under(files, 'lib/')).toEqual([]);
  });

  it('each source is one folder: it imports no other source folder', () => {
    // Prepare
    const folder = join(REPOSITORY, 'sources');
    const names = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'kit')
      .map((entry) => entry.name);

    // Act
    const strays = names.flatMap((name) =>
      readdirSync(join(folder, name))
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) =>
          runtimeImports(join(folder, name, file), true)
            .files.map((target) => relative(folder, target))
            .filter((target) => names.some((other) => other !== name && target.startsWith(`${other}/`)))
            .map((target) => `${name}/${file} → ${target}`),
        ),
    );

    // Assess
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(strays).toEqual([]);
  });

  it('the library has no import cycle (type imports included)', () => {
    // Prepare
    const files = (folder: string): string[] =>
      readdirSync(join(REPOSITORY, folder), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(folder, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(folder, entry.name)]
            : [],
      );
    const library = files('lib');
    const importsOf = (file: string) =>
      runtimeImports(join(REPOSITORY, file), true)
        .files.map((target) => relative(REPOSITORY, target))
        .filter((target) => target.startsWith('lib/'));

    // Act: depth-first, a file met again while still on the path closes a cycle.
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, path: string[]) => {
      const open = path.indexOf(file);
      if (open >= 0) {
        cycles.push([...path.slice(open), file].join(' → '));
        return;
      }
      if (done.has(file)) return;
      for (const target of importsOf(file)) visit(target, [...path, file]);
      done.add(file);
    };
    for (const file of library) visit(file, []);

    // Assess
    expect(library.length).toBeGreaterThan(15);
    expect(cycles).toEqual([]);
  });

  it('the contracts import nothing', () => {
    // Prepare
    const folder = join(REPOSITORY, 'contracts');
    const modules = readdirSync(folder).filter((name) => name.endsWith('.ts'));

    // Act
    const imports = modules.map((name) => ({ name, ...runtimeImports(join(folder, name)) }));

    // Assess
    expect(modules.length).toBeGreaterThanOrEqual(4);
    for (const { name, files, packages } of imports)
      expect({ name, files, packages }).toEqual({ name, files: [], packages: [] });
  });
});
