import { z } from 'zod';
import { OUTCOME_SCHEMA_VERSION, outcomeDetailSchema } from './outcome.ts';

/** The outcome detail as JSON Schema (draft 2020-12), for consumers outside TypeScript. */
export const outcomeDetailJsonSchema = () => ({
  ...z.toJSONSchema(outcomeDetailSchema, { target: 'draft-2020-12', io: 'output' }),
  $id: `urn:client-vpn-revoker:outcome-detail:${OUTCOME_SCHEMA_VERSION}`,
});
