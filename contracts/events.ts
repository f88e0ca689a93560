/** Detail types and statuses of the events the product publishes, for publishers and their consumers. */

/** The event every revocation or lift request ends with; JSON Schema in schema/outcome-detail.schema.json. */
export const OUTCOME_DETAIL_TYPE = 'Client VPN Revocation Outcome';
/** The event every session sweep ends with; JSON Schema in schema/sweep-outcome-detail.schema.json. */
export const SWEEP_OUTCOME_DETAIL_TYPE = 'Client VPN Session Sweep Outcome';

export const REVOCATION_STATUSES = [
  'revoked',
  'nothing-to-revoke',
  'partial',
  'failed',
  'rejected',
  'dry-run',
  'skipped',
  'lifted',
] as const;
export type RevocationStatus = (typeof REVOCATION_STATUSES)[number];

export const SWEEP_STATUSES = ['clean', 'swept', 'partial', 'failed', 'dry-run'] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];
