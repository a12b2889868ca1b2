import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../stack/stack-home';

export const ALERT_RULES_FILE = path.join(REPO_ROOT, 'ops', 'prometheus', 'alerts.yml');
export const DASHBOARD_FILE = path.join(REPO_ROOT, 'ops', 'grafana', 'dashboards', 'bubble-tea-shop.json');

const METRIC = /\b((?:bubble_tea|temporal|process|nodejs)_[a-zA-Z0-9_]+)/g;

/** The PromQL expressions of the alert rules and of the dashboard's panels. */
export function expressions(): string[] {
  const rules = parse(readFileSync(ALERT_RULES_FILE, 'utf8')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  return [...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)), ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))];
}

/** Every metric family the alerts and the dashboard read (a histogram's `_bucket`/`_sum`/`_count` by its own name). */
export function metricsUsed(): string[] {
  const names = expressions().flatMap((expr) => [...expr.matchAll(METRIC)].map((match) => match[1]!.replace(/_(bucket|sum|count)$/, '')));
  return [...new Set(names)].sort();
}
