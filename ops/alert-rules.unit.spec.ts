import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES_FILE, expressions, metricsUsed } from '../observability/testing/metrics-used';

/**
 * The alert rules are valid Prometheus rules, and each fires on the series it is about (`promtool`, from
 * Debian's `prometheus` package, which CI installs). That every metric they read exists in a real scrape is
 * checked by roles/metrics.e2e.spec.ts.
 */
const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('Prometheus alert rules', () => {
  it.skipIf(!promtool && !process.env.CI)('pass promtool check rules and their promtool unit tests', () => {
    expect(execFileSync('promtool', ['check', 'rules', ALERT_RULES_FILE], { encoding: 'utf8' })).toContain('SUCCESS: 11 rules found');
    expect(execFileSync('promtool', ['test', 'rules', path.join(path.dirname(ALERT_RULES_FILE), 'alerts.test.yml')], { encoding: 'utf8' })).toContain('SUCCESS');
  });

  it('read only metrics the shop exports', () => {
    expect(expressions().length).toBeGreaterThan(10);
    for (const name of metricsUsed()) expect(name).toMatch(/^(bubble_tea_|temporal_|process_|nodejs_)/);
  });
});
