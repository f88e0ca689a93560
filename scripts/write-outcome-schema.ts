/** Regenerates schema/outcome-detail.schema.json from the zod schema the Lambda validates against. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { outcomeDetailJsonSchema } from '../lambda/core/outcome-json-schema.ts';

const target = fileURLToPath(new URL('../schema/outcome-detail.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(outcomeDetailJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
