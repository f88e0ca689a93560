import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWEEP_OUTCOME_DETAIL_TYPE } from '../../contracts/events.ts';
import { SCHEMA_FILES, sweepOutcomeDetailJsonSchema } from '../../lambda/core/outcome-json-schema.ts';
import { SWEEP_OUTCOME_SCHEMA_VERSION } from '../../lambda/core/sweep-outcome.ts';

describe('sweep outcome JSON Schema', () => {
  it('is the shipped file, regenerated from the schema the Lambda validates against', () => {
    // Prepare
    const shipped = JSON.parse(
      readFileSync(new URL('../../schema/sweep-outcome-detail.schema.json', import.meta.url), 'utf8'),
    );

    // Act
    const generated = sweepOutcomeDetailJsonSchema();

    // Assess: on failure run `npm run schema` and commit the result
    expect(shipped).toEqual(generated);
  });

  it('is one of the files `npm run schema` writes, named by detail-type and version', () => {
    // Act
    const generate = SCHEMA_FILES['schema/sweep-outcome-detail.schema.json'];

    // Assess
    expect(generate).toBe(sweepOutcomeDetailJsonSchema);
    expect(sweepOutcomeDetailJsonSchema()).toMatchObject({
      $id: `urn:client-vpn-revoker:sweep-outcome-detail:${SWEEP_OUTCOME_SCHEMA_VERSION}`,
      title: SWEEP_OUTCOME_DETAIL_TYPE,
    });
  });
});
