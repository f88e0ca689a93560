import { synthesize } from '../../local/synth.ts';
import { TEST_CDK_OUT } from '../support/cloud-assembly.ts';

/** One `cdk synth` per test run: integration tests load the bundle and environment it produces. */
export default function setup() {
  synthesize(TEST_CDK_OUT);
}
