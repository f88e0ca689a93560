/**
 * The offline demo: the synthesized stack's rule, queue and bundled function against the local emulator
 * seeded with a realistic estate. An Okta "deactivate user" event for jane.doe@example.com goes in; her
 * Client VPN sessions end, the outcome event comes out, and her reconnect is denied by the bundled client
 * connect handler. Exits 0 only if all of that really happened.
 */
import { readFileSync } from 'node:fs';
import { EC2Client, ModifyClientVpnEndpointCommand } from '@aws-sdk/client-ec2';
import { DEMO_ENDPOINTS, DEMO_VICTIM, demoSeed } from '../emulator/index.ts';
import type { ConnectionView } from '../emulator/state.ts';
import { type OutcomeDetail, outcomeDetailSchema } from '../lambda/core/outcome.ts';
import { RevokerOnEmulator } from '../local/revoker-on-emulator.ts';
import { synthesize } from '../local/synth.ts';

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (text: string) => console.log(`\n${bold(`▸ ${text}`)}`);

function table(rows: readonly Record<string, string>[]): string {
  const first = rows[0];
  if (!first) return '  (none)';
  const columns = Object.keys(first);
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`;
  return [
    line(columns),
    line(widths.map((width) => '─'.repeat(width))),
    ...rows.map((row) => line(columns.map((c) => row[c] ?? ''))),
  ].join('\n');
}

const victimKey = DEMO_VICTIM.toLowerCase();
const looksLikeVictim = (c: ConnectionView) =>
  [c.username, c.commonName].some(
    (name) => name.toLowerCase().includes('jane') || name.toLowerCase().includes('janedoe'),
  );
const isVictim = (c: ConnectionView) =>
  c.username.toLowerCase() === victimKey || c.commonName.toLowerCase() === victimKey;

async function main(): Promise<boolean> {
  step('Synthesizing the CDK stack (npx cdk synth): rules, queue and the esbuild bundle of the Lambda');
  synthesize();

  step('Starting the local AWS emulator with the demo estate');
  const revoker = await RevokerOnEmulator.start({ seed: demoSeed(), emulator: { terminateDelayMs: 300 } });
  try {
    const endpoints = revoker.emulator.endpoints();
    const connections = revoker.emulator.connections();
    console.log(
      table(
        endpoints.map((endpoint) => ({
          region: endpoint.region,
          endpoint: endpoint.endpointId,
          description: endpoint.description,
          status: endpoint.status,
          'client-vpn-revoker tag': endpoint.tags['client-vpn-revoker'] ?? '-',
          sessions: String(
            connections.filter((c) => c.endpointId === endpoint.endpointId && c.status === 'active').length,
          ),
        })),
      ),
    );

    const before = revoker.emulator.connections().filter(looksLikeVictim);
    step(`Sessions of ${DEMO_VICTIM} and lookalikes, before`);
    console.log(table(before.map((c) => row(c))));

    step('Okta deactivates Jane: evaluating the event against the synthesized rules');
    const event = {
      ...JSON.parse(
        readFileSync(new URL('../examples/events/okta-user-deactivate.json', import.meta.url), 'utf8'),
      ),
      id: crypto.randomUUID(),
    };
    const oktaBus = event.source as string;
    const rules = revoker.matchingRules(event, oktaBus);
    console.log(`  event ${event.id}: ${event.detail.eventType} of ${event.detail.target[0].alternateId}`);
    console.log(`  bus ${oktaBus}`);
    console.log(
      rules.length > 0
        ? `  matched rule ${rules.map((rule) => rule.logicalId).join(', ')} → revocation queue`
        : '  matched no rule',
    );

    step('Delivering it through the queue to the bundled Lambda (cdk.out), as the SQS event source would');
    const report = await revoker.deliver([{ event, eventBusName: oktaBus }]);
    for (const invocation of report.invocations) {
      console.log(`  invocation: ${invocation.kind} in ${Math.round(invocation.durationMs)} ms`);
    }
    console.log(`  cold start (module load and setup): ${Math.round(revoker.lambda.initMs)} ms`);
    // Let EC2's asynchronous terminating → terminated transition show in the listing.
    await new Promise((resolve) => setTimeout(resolve, 400));

    const after = new Map(revoker.emulator.connections().map((c) => [c.connectionId, c]));
    step(`Sessions of ${DEMO_VICTIM} and lookalikes, after`);
    console.log(table(before.map((c) => row(after.get(c.connectionId) ?? c, c))));

    const published = revoker.emulator.publishedEvents();
    step(`Outcome event published to ${published[0]?.eventBusName ?? '(nothing published)'}`);
    const outcome: OutcomeDetail | undefined = published[0] && outcomeDetailSchema.parse(published[0].detail);
    if (published[0])
      console.log(
        indent(
          JSON.stringify(
            { source: published[0].source, 'detail-type': published[0].detailType, detail: outcome },
            null,
            2,
          ),
        ),
      );

    step('Jane tries to reconnect: the client connect handler (bundled, AWSClientVPN-…) asks the ledger');
    const ec2 = new EC2Client({
      region: 'us-east-1',
      endpoint: revoker.emulator.env.AWS_ENDPOINT_URL_EC2,
      credentials: { accessKeyId: 'AKIALOCALEMULATOR', secretAccessKey: 'local-emulator-secret' },
    });
    // The manual wiring step of the README (`aws ec2 modify-client-vpn-endpoint --client-connect-options …`).
    await ec2.send(
      new ModifyClientVpnEndpointCommand({
        ClientVpnEndpointId: DEMO_ENDPOINTS.corporate,
        ClientConnectOptions: { Enabled: true, LambdaFunctionArn: revoker.connectHandlerArn },
      }),
    );
    console.log(`  ${DEMO_ENDPOINTS.corporate} now calls ${revoker.connectHandlerArn}`);
    const reconnect = await revoker.emulator.connect({
      endpointId: DEMO_ENDPOINTS.corporate,
      username: 'Jane.Doe@example.com',
    });
    const colleague = await revoker.emulator.connect({
      endpointId: DEMO_ENDPOINTS.corporate,
      username: 'john.roe@example.com',
    });
    console.log(
      `  ${DEMO_VICTIM}: ${reconnect.allowed ? 'ALLOWED' : `denied — "${reconnect.message}"`}\n` +
        `  john.roe@example.com: ${colleague.allowed ? 'allowed' : `denied — "${colleague.message}"`}`,
    );

    const inScope = (c: ConnectionView) => c.endpointId !== DEMO_ENDPOINTS.euLab;
    const victimLeft = before
      .filter((c) => isVictim(c) && inScope(c) && c.status === 'active')
      .map((c) => after.get(c.connectionId));
    const ended = victimLeft.every((c) => c?.status === 'terminating' || c?.status === 'terminated');
    const othersUntouched = before
      .filter((c) => !isVictim(c) || !inScope(c))
      .every((c) => after.get(c.connectionId)?.status === c.status);
    const ok =
      rules.length > 0 &&
      outcome?.status === 'revoked' &&
      ended &&
      othersUntouched &&
      report.deadLettered.length === 0 &&
      !reconnect.allowed &&
      colleague.allowed;
    step(
      ok
        ? `Revoked: ${victimLeft.length} in-scope sessions of ${DEMO_VICTIM} ended, her reconnect denied, ` +
            'everyone else untouched.'
        : 'FAILED: the revocation did not happen as expected.',
    );
    return ok;
  } finally {
    await revoker.stop();
  }
}

function row(now: ConnectionView, was: ConnectionView = now): Record<string, string> {
  const inScope = now.endpointId !== DEMO_ENDPOINTS.euLab;
  return {
    region: now.region,
    endpoint: now.endpointId,
    connection: now.connectionId,
    username: now.username || '-',
    'common name': now.commonName || '-',
    status: was.status === now.status ? now.status : `${was.status} → ${now.status}`,
    note: !inScope
      ? 'endpoint out of scope (tag)'
      : isVictim(now)
        ? 'Jane'
        : now.username === 'jane.doe'
          ? 'AD name, not her IdP login: left alone'
          : 'lookalike: left alone',
  };
}

const indent = (text: string) => text.replace(/^/gm, '  ');

main().then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
