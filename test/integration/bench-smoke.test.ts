import { describe, expect, inject, it } from 'vitest';
import { measureColdStart } from '../../bench/cold-start.ts';
import { measureLatency } from '../../bench/latency.ts';
import { measureMass } from '../../bench/mass.ts';
import { evaluateGoals, summary } from '../../bench/report.ts';

// `npm run bench` at a tiny scale, through the same functions: the shape of the results and the invariants
// that hold whatever the machine. Never wall-clock thresholds: those are what the bench reports.
const positive = (value: number) => Number.isFinite(value) && value > 0;

describe('npm run bench, tiny scale', () => {
  it('measures every figure with the invariants that always hold', { timeout: 60_000 }, async () => {
    // Prepare
    const cdkOut = inject('cdkOut');

    // Act
    const coldStart = await measureColdStart({ runs: 3, cdkOut });
    const latency = await measureLatency({ runs: 2, latencyMs: 20, idleMs: 0, cdkOut });
    const mass = await measureMass({ users: 50, totalConnections: 600, endpoints: 3, timeScale: 50, cdkOut });
    const goals = evaluateGoals({ coldStart, latency, mass });

    // Assess
    for (const value of [coldStart.initMs, coldStart.defaultInitMs, coldStart.ratio, coldStart.bundleBytes]) {
      expect(positive(value)).toBe(true);
    }
    expect(coldStart.ratio).toBeCloseTo(coldStart.initMs / coldStart.defaultInitMs, 2);
    for (const value of [latency.ms, latency.criticalPathMs, latency.ratio])
      expect(positive(value)).toBe(true);
    expect(latency.criticalPathMs).toBe(5 * 20);
    // No request can beat the critical path: each of its steps waits for the injected latency.
    expect(latency.ms).toBeGreaterThanOrEqual(latency.criticalPathMs);
    for (const value of [mass.callsRatio, mass.wallRatio, mass.naiveSpeedup])
      expect(positive(value)).toBe(true);
    expect(mass.lost).toBe(0);
    expect(mass.deadLettered).toBe(0);
    expect(mass.calls.mutating).toBeGreaterThanOrEqual(mass.calls.mutatingLowerBound);
    expect(mass.calls.nonMutating).toBeGreaterThanOrEqual(mass.calls.nonMutatingLowerBound);
    expect(Number.isInteger(mass.throttled) && mass.throttled >= 0).toBe(true);
    expect(Object.keys(goals).sort()).toEqual([
      'coldStart.ratio',
      'latency.ratio',
      'mass.callsRatio',
      'mass.lost',
      'mass.naiveSpeedup',
      'mass.wallRatio',
    ]);
    expect(goals['mass.lost']?.met).toBe(true);
    const text = summary({
      timestamp: new Date().toISOString(),
      durationS: 0,
      machine: { cpus: 1, cpuModel: 'test', memoryGiB: 1, node: process.version, platform: 'test' },
      coldStart,
      latency,
      mass,
      goals,
    });
    expect(text).toContain('Critical-path minimum');
  });
});
