import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outcomeDetailJsonSchema } from '../../lambda/core/outcome-json-schema.ts';

describe('outcome JSON Schema', () => {
  it('is the shipped file, regenerated from the schema the Lambda validates against', () => {
    // Prepare
    const shipped = JSON.parse(
      readFileSync(new URL('../../schema/outcome-detail.schema.json', import.meta.url), 'utf8'),
    );

    // Act
    const generated = outcomeDetailJsonSchema();

    // Assess: on failure run `npm run schema` and commit the result
    expect(shipped).toEqual(generated);
  });
});
