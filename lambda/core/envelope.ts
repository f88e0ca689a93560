import * as z from 'zod';

/** The EventBridge envelope every trigger arrives in (SQS message body). */
export const eventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});

export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelopeSchema>;

/** The detail-type of AWS API calls EventBridge receives from CloudTrail (always on the default bus). */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
