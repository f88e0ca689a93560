/**
 * `bundle-cli.ts <entry> <outdir>`: bundles one function. CDK bundles assets synchronously while it builds the
 * construct tree and esbuild plugins need esbuild's asynchronous API, so lib/function-support.ts runs this
 * in a child process.
 */
import { bundleFunction } from './bundle-function.ts';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: bundle-cli.ts <entry> <outdir>');
  process.exit(2);
}
await bundleFunction({ entry, outdir });
