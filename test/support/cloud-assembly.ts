import { fileURLToPath } from 'node:url';

/** Tests synthesize into their own directory so they never race a developer's `cdk synth` or demo. */
export const TEST_CDK_OUT = fileURLToPath(new URL('../../cdk.out.test', import.meta.url));
