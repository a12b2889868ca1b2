import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/stack-home';
import type { BenchResult } from './report';

/** `npm run bench` with a tiny load, so the benchmark keeps working; its figures are not judged here. */
const out = mkdtempSync(path.join(os.tmpdir(), 'bench-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench --tiny', () => {
  it('runs every phase and writes its table, JSON and chart', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'bench', '--', '--tiny', '--out', out], { cwd: REPO_ROOT, maxBuffer: 16 * 2 ** 20 });
    const result = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResult;

    expect(result.saturation.ready).toBe(result.saturation.placed);
    expect(result.rates.map((phase) => phase.ready)).toEqual(result.rates.map((phase) => phase.placed));
    expect(result.bare.every((bare) => bare.perSecond > 0)).toBe(true);
    expect(result.shopFloorAfter.perSecond).toBeGreaterThan(0);
    expect(result.rebuild.projectorEventsPerSecond).toBeGreaterThan(0);
    expect(result.rebuild.rebuildCommandEventsPerSecond).toBeGreaterThan(0);
    expect(result.reads.shopMs.count).toBe(result.reads.requests);
    expect(result.saturation.processes.find((usage) => usage.name === 'shop')?.peakRssMiB).toBeGreaterThan(0);
    expect(result.goals.map((goal) => goal.goal)).toHaveLength(6);
    expect(stdout).toContain('Goals:');
    expect(readFileSync(path.join(out, 'latest.svg'), 'utf8')).toMatch(/^<svg /);
  }, 300_000);
});
