import { awsAccess } from './aws.ts';
import { runCli } from './cli.ts';

// Composition root of the operator CLI (launcher: cli/client-vpn-revoker.mjs; `npm run cli -- …`).
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  aws: awsAccess(process.env),
  now: Date.now,
  sleep,
  random: Math.random,
});
