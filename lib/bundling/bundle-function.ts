import { build, type Metafile } from 'esbuild';
import { lambdaCredentialChain, treeShakableSdkSchemas } from './esbuild-plugins.ts';

/** The module Lambda loads (`index.handler`); chunks loaded on first use sit beside it in `chunks/`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

export interface BundleFunctionOptions {
  /** Absolute path of the handler module. */
  readonly entry: string;
  /** Directory the bundle is written to (it becomes the function's code). */
  readonly outdir: string;
}

/**
 * Bundles one function as deployed: ESM for Node 24 with module-first main fields, the AWS SDK inside (pinned,
 * and faster to load than the runtime's copy), minified, a source map without the sources (stack traces
 * point at the TypeScript, the package stays small). Code behind a dynamic `import()` (the Cognito and
 * Identity Store clients, Secrets Manager) is split into chunks loaded only when first used, so a cold start
 * loads only what every invocation needs. See esbuild-plugins.ts for the two SDK-specific steps.
 */
export async function bundleFunction(options: BundleFunctionOptions): Promise<Metafile> {
  const result = await build({
    entryPoints: { index: options.entry },
    outdir: options.outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
    // The SDK's CommonJS dependencies call require() for Node built-ins, which ESM does not define.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: [treeShakableSdkSchemas, lambdaCredentialChain],
  });
  return result.metafile;
}
