import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Seed } from '../emulator/index.ts';
import { outcomeDetailSchema } from '../lambda/core/outcome.ts';
import { RevokerOnEmulator } from '../local/revoker-on-emulator.ts';
import { median, oktaDeactivation, round } from './common.ts';

const IN_SCOPE = { 'client-vpn-revoker': 'enabled' };
const EAST = 'cvpn-endpoint-0aaa0000000000e01';
const WEST = 'cvpn-endpoint-0bbb0000000000w01';

/** Sequential steps on the shortest possible path of one request (see `criticalPathSteps`). */
export const CRITICAL_PATH = [
  'DescribeClientVpnEndpoints (both regions in parallel; the ledger PutItem runs beside discovery)',
  'DescribeClientVpnConnections, first and only page of every endpoint in parallel',
  'TerminateClientVpnConnections, every endpoint in parallel (one round)',
  'DescribeClientVpnConnections to verify, every endpoint in parallel (one round)',
  'PutEvents of the outcome',
] as const;

export interface LatencyResult {
  /** Median wall time of a warm invocation, from the handler receiving the batch to its return after PutEvents. */
  readonly ms: number;
  readonly criticalPathMs: number;
  readonly ratio: number;
  readonly perCallLatencyMs: number;
  readonly runs: number;
  readonly samplesMs: number[];
  /** The last measured request's calls, in order: action and start offset (ms) from the first call. */
  readonly timeline: { readonly action: string; readonly atMs: number; readonly region?: string }[];
}

/** Forwards HTTP to `target` (set once known) after `delayMs`: the ledger's DynamoDB gets the same latency. */
async function latencyProxy(delayMs: number) {
  const log: { action: string; time: number }[] = [];
  const proxy = { target: '', log, url: '', server: undefined as Server | undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      log.push({
        action:
          String(req.headers['x-amz-target'] ?? 'dynamodb')
            .split('.')
            .pop() ?? '',
        time: Date.now(),
      });
      await sleep(delayMs);
      const upstream = httpRequest(
        `${proxy.target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(500);
        res.end(String(error));
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.server = server;
  return {
    ...proxy,
    setTarget: (url: string) => {
      proxy.target = url;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const userConnections = (user: string) => ({
  [EAST]: [{ username: user }, { username: user }],
  [WEST]: [{ username: user }],
});

function estate(users: readonly string[]): Seed {
  const endpoint = (id: string, region: string) => ({
    id,
    region,
    tags: IN_SCOPE,
    authType: 'saml' as const,
    connections: [
      ...users.flatMap((user) => userConnections(user)[id as typeof EAST] ?? []),
      ...Array.from({ length: 40 }, (_, i) => ({ username: `colleague${i}@example.com` })),
    ],
  });
  return { endpoints: [endpoint(EAST, 'us-east-1'), endpoint(WEST, 'eu-west-1')] };
}

/**
 * One user with 3 sessions on 2 endpoints in 2 regions, every AWS call (EC2, EventBridge and the ledger's
 * DynamoDB) answered after `latencyMs`. A first request warms the execution environment; each of the next
 * `runs` requests (a fresh user each) is timed. Requests are `idleMs` apart: a single revocation meets an idle
 * function whose EC2 pacer has refilled, not the tail of the previous request's allowance.
 */
export async function measureLatency(
  options: { runs?: number; latencyMs?: number; idleMs?: number; cdkOut?: string } = {},
): Promise<LatencyResult> {
  const runs = options.runs ?? 7;
  // 1.5 s refills one Terminate token at the deployed per-environment rate (4/s over 3 callers).
  const idleMs = options.idleMs ?? 1_500;
  const latencyMs = options.latencyMs ?? 50;
  const users = Array.from({ length: runs + 1 }, (_, i) => `latency.user${i}@example.com`);
  const proxy = await latencyProxy(latencyMs);
  const r = await RevokerOnEmulator.start({
    seed: estate(users),
    ...(options.cdkOut && { cdkOut: options.cdkOut }),
    environment: { AWS_ENDPOINT_URL_DYNAMODB: proxy.url },
  });
  try {
    if (!r.dynamo) throw new Error('The synthesized stack has no ledger; the latency bench expects one');
    proxy.setTarget(r.dynamo.endpoint);
    r.emulator.faults.latency(latencyMs);
    const samplesMs: number[] = [];
    let timeline: LatencyResult['timeline'] = [];
    for (const [i, user] of users.entries()) {
      if (i > 0) await sleep(idleMs);
      const firstCall = r.emulator.calls().length;
      const firstLedgerCall = proxy.log.length;
      const report = await r.deliver([oktaDeactivation(r.stack, user)]);
      const invocation = report.invocations[0];
      if (report.invocations.length !== 1 || invocation?.kind !== 'result') {
        throw new Error(
          `latency run ${i}: expected one successful invocation, got ${JSON.stringify(report)}`,
        );
      }
      const outcome = outcomeDetailSchema.parse(r.emulator.publishedEvents().at(-1)?.detail);
      if (outcome.status !== 'revoked' || outcome.summary.connectionsTerminated !== 3) {
        throw new Error(
          `latency run ${i}: ${outcome.status}, ${outcome.summary.connectionsTerminated} terminated`,
        );
      }
      if (i === 0) continue; // the warm-up
      samplesMs.push(invocation.durationMs);
      const calls = [
        ...r.emulator
          .calls()
          .slice(firstCall)
          .map((c) => ({ action: c.action, region: c.region, time: Date.parse(c.time) })),
        ...proxy.log
          .slice(firstLedgerCall)
          .map((c) => ({ action: c.action, region: 'us-east-1', time: c.time })),
      ].sort((a, b) => a.time - b.time);
      const start = calls[0]?.time ?? 0;
      timeline = calls.map((c) => ({ action: c.action, region: c.region, atMs: c.time - start }));
    }
    const ms = median(samplesMs);
    const criticalPathMs = CRITICAL_PATH.length * latencyMs;
    return {
      ms: round(ms),
      criticalPathMs,
      ratio: round(ms / criticalPathMs, 3),
      perCallLatencyMs: latencyMs,
      runs,
      samplesMs: samplesMs.map((s) => round(s)),
      timeline,
    };
  } finally {
    await r.stop();
    await proxy.stop();
  }
}
