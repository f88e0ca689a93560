import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod';
import { OUTCOME_SCHEMA_VERSION, outcomeDetailSchema } from './outcome.ts';
import { SWEEP_OUTCOME_SCHEMA_VERSION, sweepOutcomeDetailSchema } from './sweep-outcome.ts';

/** The outcome detail as JSON Schema (draft 2020-12), for consumers outside TypeScript. */
export const outcomeDetailJsonSchema = () => ({
  ...z.toJSONSchema(outcomeDetailSchema, { target: 'draft-2020-12', io: 'output' }),
  $id: `urn:client-vpn-revoker:outcome-detail:${OUTCOME_SCHEMA_VERSION}`,
});

/** The session sweep outcome detail as JSON Schema (draft 2020-12). */
export const sweepOutcomeDetailJsonSchema = () => ({
  ...z.toJSONSchema(sweepOutcomeDetailSchema, { target: 'draft-2020-12', io: 'output' }),
  $id: `urn:client-vpn-revoker:sweep-outcome-detail:${SWEEP_OUTCOME_SCHEMA_VERSION}`,
});

/** Every shipped JSON Schema file (path from the repository root) and what generates it. */
export const SCHEMA_FILES: Readonly<Record<string, () => object>> = {
  'schema/outcome-detail.schema.json': outcomeDetailJsonSchema,
  'schema/sweep-outcome-detail.schema.json': sweepOutcomeDetailJsonSchema,
};

/** Writes the named schema files (all of them when none are named) from the zod schemas. */
export function writeSchemaFiles(paths: readonly string[] = Object.keys(SCHEMA_FILES)): void {
  for (const path of paths) {
    const generate = SCHEMA_FILES[path];
    if (!generate)
      throw new Error(`Unknown schema file ${path}; expected one of ${Object.keys(SCHEMA_FILES).join(', ')}`);
    const target = fileURLToPath(new URL(`../../${path}`, import.meta.url));
    writeFileSync(target, `${JSON.stringify(generate(), null, 2)}\n`);
    console.log(`wrote ${target}`);
  }
}

// `npm run schema` regenerates (and formats) every file; `tsx lambda/core/outcome-json-schema.ts <file>…`
// regenerates only the files named.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const named = process.argv.slice(2);
  writeSchemaFiles(named.length > 0 ? named : undefined);
}
