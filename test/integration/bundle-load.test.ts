import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it, vi } from 'vitest';
import { TRACING_ENVIRONMENT } from '../../lib/function-support.ts';
import { coldStartFiles, packageScripts } from '../../local/bundle-files.ts';
import { readSynthesizedRevoker, type SynthesizedFunction } from '../../local/cloud-assembly.ts';
import { RevokerOnEmulator } from '../../local/revoker-on-emulator.ts';

// What a cold start loads: the bundle's entry and the chunks it imports statically. Clients used by some
// invocations only (Cognito, Identity Store, Secrets Manager) must stay behind a dynamic import.
const stack = readSynthesizedRevoker(inject('cdkOut'), { region: 'us-east-1', account: '111122223333' });
const functions: [string, SynthesizedFunction | undefined][] = [
  ['revoker', stack],
  ['connect handler', stack.connectHandler],
  ['sweeper', stack.sweeper],
];

const lazyChunks = (entry: string) => {
  const initial = coldStartFiles(entry);
  return packageScripts(entry)
    .filter((file) => !initial.has(file))
    .map((file) => readFileSync(file, 'utf8'));
};

/** Markers of the tracer, which only a function with tracing on may load. */
const TRACER = {
  'Powertools Tracer': 'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
  'X-Ray SDK': 'AWS_XRAY_DAEMON_ADDRESS',
};

/** Markers of code that must not be loaded at cold start: each names a client or provider unmistakably. */
const NOT_AT_COLD_START = {
  ...TRACER,
  'Cognito client': 'AWSCognitoIdentityProviderService',
  'Identity Store client': 'AWSIdentityStore',
  'Secrets Manager client': 'SecretsManagerServiceException',
  'SQS client (failed requests only)': 'SQSServiceException',
  'STS (web identity credentials)': 'AssumeRoleWithWebIdentity',
  'STS client (member-account roles)': 'DecodeAuthorizationMessage',
  'SSO credentials': 'GetRoleCredentials',
  'container credentials provider': 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'unused EC2 operations': 'RunInstances',
};

/**
 * The files a fresh Node process loads when it imports the bundle and its handler, as Lambda's init does (a
 * module hook records them), with the function's environment plus `environment`. AWS is never called at init.
 */
function loadedAtInit(fn: SynthesizedFunction, environment: Record<string, string>): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    import { fileURLToPath, pathToFileURL } from 'node:url';
    const loaded = [];
    registerHooks({
      load(url, context, nextLoad) {
        if (url.startsWith('file:')) loaded.push(fileURLToPath(url));
        return nextLoad(url, context);
      },
    });
    const module = await import(pathToFileURL(process.argv[1]).href);
    if (typeof module[process.argv[2]] !== 'function') throw new Error('no handler');
    process.stdout.write('\\nLOADED ' + JSON.stringify(loaded));
    process.exit(0);`;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, fn.bundleFile, fn.exportName],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...fn.environment,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIALOCALBUNDLELOAD',
        AWS_SECRET_ACCESS_KEY: 'local-bundle-load-secret',
        ...environment,
      },
      encoding: 'utf8',
    },
  );
  const report = child.stdout.split('\n').find((line) => line.startsWith('LOADED '));
  if (child.status !== 0 || !report) throw new Error(`init failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(report.slice('LOADED '.length)) as string[];
}

const tracerFiles = (files: readonly string[]) =>
  files.filter((file) => Object.values(TRACER).some((marker) => readFileSync(file, 'utf8').includes(marker)));

describe.each(functions)('the %s bundle', (name, fn) => {
  it('is synthesized with its chunks', () => {
    expect(fn, `${name} missing from the synthesized stack`).toBeDefined();
  });

  it('loads at cold start only what every invocation needs', () => {
    if (!fn) return;
    const initial = [...coldStartFiles(fn.bundleFile).values()].join('\n');
    for (const [what, marker] of Object.entries(NOT_AT_COLD_START)) {
      expect(initial.includes(marker), `${what} (${marker}) is in the ${name}'s initial load`).toBe(false);
    }
  });
});

describe.each(functions)('the %s bundle and tracing', (_name, fn) => {
  it('packages the tracer in a chunk that init loads only with tracing on', () => {
    if (!fn) return;
    // Act
    const withoutTracing = loadedAtInit(fn, {});
    const withTracing = loadedAtInit(fn, { ...TRACING_ENVIRONMENT });

    // Assess
    expect(tracerFiles(packageScripts(fn.bundleFile))).not.toEqual([]);
    expect(withoutTracing).toContain(fn.bundleFile);
    expect(tracerFiles(withoutTracing)).toEqual([]);
    expect(new Set(tracerFiles(withTracing))).toEqual(new Set(tracerFiles(packageScripts(fn.bundleFile))));
  });
});

describe('the revoker bundle', () => {
  it('keeps the identity look-up clients, the SQS client and container credentials in chunks loaded only on first use', () => {
    const chunks = lazyChunks(stack.bundleFile).join('\n');
    expect(chunks).toContain(NOT_AT_COLD_START['Cognito client']);
    expect(chunks).toContain(NOT_AT_COLD_START['Identity Store client']);
    expect(chunks).toContain(NOT_AT_COLD_START['container credentials provider']);
    expect(chunks).toContain(NOT_AT_COLD_START['SQS client (failed requests only)']);
  });
});

describe.each([
  ['revoker', stack],
  ['sweeper', stack.sweeper],
])('the %s bundle and member accounts', (_name, fn) => {
  it('keeps the STS client that assumes member-account roles in a chunk loaded only on first use', () => {
    if (!fn) return;
    expect(lazyChunks(fn.bundleFile).join('\n')).toContain(
      NOT_AT_COLD_START['STS client (member-account roles)'],
    );
  });
});

/** A local X-Ray daemon: the segment documents the functions send over UDP. */
async function xrayDaemon() {
  const socket = createSocket('udp4');
  const documents: { name: string; trace_id: string; type?: string; aws?: Record<string, unknown> }[] = [];
  // Each datagram is a header line, then one (sub)segment document.
  socket.on('message', (message) => documents.push(JSON.parse(message.toString().split('\n')[1] ?? '{}')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, documents, close: () => socket.close() };
}

const TRACE_ID = '1-6740a2b0-4c1e2f3a5b6c7d8e9f0a1b2c';

describe('the sweeper bundle with tracing on', () => {
  it('traces the invocation and each AWS call, and counts the throttled EC2 attempt the SDK retried', async () => {
    // Prepare: what Lambda gives a function with active tracing, the X-Ray daemon included
    const daemon = await xrayDaemon();
    const revoker = await RevokerOnEmulator.start({
      cdkOut: inject('cdkOut'),
      environment: {
        ...TRACING_ENVIRONMENT,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: '/var/task',
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
        AWS_XRAY_DAEMON_ADDRESS: daemon.address,
        // Sessions past a maximum age are swept too, so the sweep lists the endpoints even with nobody revoked.
        MAX_SESSION_AGE_MINUTES: '60',
      },
    });
    try {
      revoker.emulator.faults.throttleNext('DescribeClientVpnEndpoints', 1);

      // Act
      const invocation = await revoker.sweep();

      // Assess
      // The sweep's own summary: the metric middleware must not replace it.
      expect(invocation).toMatchObject({ kind: 'result', result: { status: 'clean' } });
      await vi.waitFor(() => expect(daemon.documents.map((d) => d.name)).toContain('## index.handler'));
      expect(new Set(daemon.documents.map((d) => d.trace_id))).toEqual(new Set([TRACE_ID]));
      const calls = daemon.documents
        .filter((d) => d.aws?.operation)
        .map((d) => `${d.name} ${d.aws?.operation}`)
        .sort();
      // Each region is listed twice: by the connect handler wiring check, then by the sweep (and the throttled
      // attempt is retried by the SDK inside one traced call).
      expect(calls).toEqual([
        'DynamoDB Scan',
        'EC2 DescribeClientVpnEndpoints',
        'EC2 DescribeClientVpnEndpoints',
        'EC2 DescribeClientVpnEndpoints',
        'EC2 DescribeClientVpnEndpoints',
        'EventBridge PutEvents',
      ]);
      const metrics = (revoker.sweeper?.logs ?? []).flatMap((line) => {
        const record = line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {};
        return '_aws' in record ? [record] : [];
      });
      expect(metrics).toContainEqual(expect.objectContaining({ SweepEc2Throttled: 1 }));
    } finally {
      await revoker.stop();
      daemon.close();
    }
  });
});
