// One cold start, run as a fresh Node process by bench/cold-start.ts: imports the bundle and takes its handler,
// as local/lambda-worker.ts does, then exits. Without arguments it only starts (the bare-Node baseline).
// Plain JavaScript, so no loader adds to the process's start.
import { pathToFileURL } from 'node:url';

const [bundleFile, exportName = 'handler'] = process.argv.slice(2);
const started = performance.now();
if (bundleFile) {
  const module = await import(pathToFileURL(bundleFile).href);
  const handler = module[exportName] ?? module.default?.[exportName];
  if (typeof handler !== 'function') throw new Error(`${bundleFile} exports no function "${exportName}"`);
}
process.stdout.write(JSON.stringify({ importMs: performance.now() - started }));
process.exit(0);
