import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What a cold start loads from a bundle: its entry and every chunk reachable through static imports, with
 * their sources. Chunks behind a dynamic `import()` are loaded only when an invocation first needs them.
 */
export function coldStartFiles(entry: string): Map<string, string> {
  const loaded = new Map<string, string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    const source = readFileSync(file, 'utf8');
    loaded.set(file, source);
    // Minified static imports: `from"./x.mjs"` or a bare `import"./x.mjs"`, never `import("./x.mjs")`.
    for (const [, path] of source.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+)"/g)) {
      if (path) visit(join(dirname(file), path));
    }
  };
  visit(entry);
  return loaded;
}

/** Every JavaScript file of the function's package (the entry's directory), source maps left out. */
export function packageScripts(entry: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.m?js$/.test(name)) files.push(path);
    }
  };
  walk(dirname(entry));
  return files;
}

export const totalBytes = (files: Iterable<string>): number =>
  [...files].reduce((sum, file) => sum + statSync(file).size, 0);
