import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/**
 * An AWS SDK client's `schemas_0.js` declares every shape of the service as a top-level array, with member
 * traits in object literals keyed by module constants (`{ [_xN]: _m }`). esbuild keeps an object literal
 * with computed keys it cannot prove side-effect free, and with it the shape and everything the shape
 * references: EC2's 560 KB of schemas end up in the bundle although the product uses three operations.
 * Writing each key as the string its constant holds (`{ "xmlName": _m }`) changes nothing at run time and
 * lets esbuild drop the shapes nothing uses.
 */
export function literalSchemaKeys(source: string): string {
  const constants = new Map<string, string>();
  for (const [, name, value] of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) {
    if (name && value) constants.set(name, value);
  }
  return source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before: string, name: string) => {
    const value = constants.get(name);
    return value === undefined ? whole : `${before}${value}:`;
  });
}

const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** Applies `literalSchemaKeys` to every AWS SDK client's schema modules as they are loaded. */
export const treeShakableSdkSchemas: Plugin = {
  name: 'tree-shakable-sdk-schemas',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMAS }, async (args) => ({
      contents: literalSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

export const LAMBDA_CREDENTIALS = fileURLToPath(
  new URL('../../lambda/core/adapters/lambda-credentials.ts', import.meta.url),
);

/**
 * Resolves the SDK's default Node.js credential chain to the chain a Lambda execution environment can use
 * (lambda/core/adapters/lambda-credentials.ts).
 */
export const lambdaCredentialChain: Plugin = {
  name: 'lambda-credential-chain',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: LAMBDA_CREDENTIALS }));
  },
};
