/// <reference lib="dom" />
import { formatMoney } from '../../../contracts/menu';
import type { ReportName, ReportRow } from '../../../contracts/reports';
import { getReport } from './api-client';
import { byId, h, replaceKeepingFocus, setText } from './dom';
import { barChart, lineChart, round, type Bar } from './svg-charts';

/*
 * The operator board's reports panel: the last 24 hours of the shop's reports (`GET /reports/<name>`) as
 * charts. It reads them again shortly after the board's live stream brings an order change (at most every
 * couple of seconds), so the charts follow the shop without polling.
 */

const SINCE = '24h';
const AT_MOST_EVERY_MS = 2_000;
const KINDS = [
  ['tea', 'Teas'],
  ['pearl', 'Pearls'],
  ['topping', 'Toppings'],
  ['sugar', 'Sugar'],
] as const;
const STAGES = [
  ['label', 'Label'],
  ['mix', 'Mix'],
  ['top', 'Top'],
  ['placed-to-ready', 'Placed → ready'],
] as const;

type Rows<Name extends ReportName> = Array<ReportRow<Name>>;
const TONES: Record<ReportRow<'failures'>['outcome'], string> = { failed: 'tone-error', declined: 'tone-warn', cancelled: 'tone-muted' };

const percent = (share: number) => `${round(share * 100)}%`;
const hourOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function figure(title: string, chart: Node, note?: string): HTMLElement {
  return h('figure', { class: 'report' }, h('figcaption', {}, h('strong', {}, title), note ? h('span', { class: 'muted' }, ` · ${note}`) : null), chart);
}

function empty(text: string): HTMLElement {
  return h('p', { class: 'muted report-empty' }, text);
}

function popularItems(rows: Rows<'popular-items'>): HTMLElement[] {
  return KINDS.map(([kind, title]) => {
    const bars: Bar[] = rows.filter((row) => row.kind === kind).map((row) => ({ label: row.item, value: row.drinks, text: `${row.drinks} · ${percent(row.share)}` }));
    const words = bars.map((bar) => `${bar.label} ${bar.text}`).join(', ');
    return figure(title, bars.length ? barChart(`${title}: drinks and share: ${words}`, bars) : empty('No drinks yet.'), 'drinks · share');
  });
}

function stageTimes(overall: Rows<'stage-durations'>, hourly: Rows<'stage-durations-hourly'>): HTMLElement[] {
  const hours = [...new Set(hourly.map((row) => row.hour))].sort();
  return STAGES.map(([stage, title]) => {
    const total = overall.find((row) => row.stage === stage);
    if (!total) return figure(title, empty('No order has finished this stage yet.'));
    const at = (hour: string) => hourly.find((row) => row.stage === stage && row.hour === hour);
    const series = (['p50', 'p95', 'p99'] as const).map((name) => ({ name, tone: `tone-${name}`, values: hours.map((hour) => at(hour)?.[name] ?? null) }));
    const words = `p50 ${round(total.p50)} s, p95 ${round(total.p95)} s, p99 ${round(total.p99)} s, max ${round(total.max)} s over ${total.orders} orders`;
    return figure(title, lineChart(`${title} seconds per hour; overall ${words}`, hours.map(hourOf), series, ' s'), words);
  });
}

function breachesAndFailures(breaches: Rows<'sla-breaches'>, failures: Rows<'failures'>): HTMLElement[] {
  const breachBars: Bar[] = breaches.map((row) => ({ label: row.stage === 'any' ? 'any stage' : row.stage, value: row.breaches, text: `${row.breaches} · ${percent(row.rate)}`, tone: 'tone-warn' }));
  const failureBars: Bar[] = failures.map((row) => ({ label: row.outcome, value: row.orders, text: `${row.orders} · ${row.reason}`, tone: TONES[row.outcome] }));
  const orders = breaches[0]?.orders ?? 0;
  return [
    figure('SLA breaches', barChart(`SLA breaches by stage among ${orders} orders: ${breachBars.map((bar) => `${bar.label} ${bar.text}`).join(', ')}`, breachBars), `of ${orders} orders`),
    figure(
      'Failed, cancelled and declined',
      failureBars.length ? barChart(`Failed, cancelled and payment-declined orders by reason: ${failureBars.map((bar) => `${bar.label} ${bar.text}`).join(', ')}`, failureBars, 240) : empty('None.'),
      'orders · reason',
    ),
  ];
}

/** The money of the window, per currency, for the panel's status line. */
function money(rows: Rows<'revenue'>): string {
  if (rows.length === 0) return 'nothing charged';
  return rows.map((row) => `charged ${formatMoney(row.charged_cents, row.currency)}, refunded ${formatMoney(row.refunded_cents, row.currency)}, net ${formatMoney(row.net_cents, row.currency)}`).join('; ');
}

async function load(): Promise<void> {
  const [items, overall, hourly, breaches, failures, revenue] = await Promise.all([
    getReport('popular-items', SINCE),
    getReport('stage-durations', SINCE),
    getReport('stage-durations-hourly', SINCE),
    getReport('sla-breaches', SINCE),
    getReport('failures', SINCE),
    getReport('revenue', SINCE),
  ]);
  replaceKeepingFocus(byId('report-items'), ...popularItems(items.rows));
  replaceKeepingFocus(byId('report-stages'), ...stageTimes(overall.rows, hourly.rows));
  replaceKeepingFocus(byId('report-problems'), ...breachesAndFailures(breaches.rows, failures.rows));
  setText(byId('reports-status'), `Last 24 hours: ${money(revenue.rows)}; updated ${new Date().toLocaleTimeString()}`);
  byId('reports').dataset.loaded = 'true';
}

export interface ReportsPanel {
  /** An order changed: read the reports again soon. */
  changed(): void;
}

export function startReportsPanel(): ReportsPanel {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    timer = undefined;
    last = Date.now();
    load().catch((error: unknown) => setText(byId('reports-status'), `The reports could not be loaded: ${(error as Error).message}`));
  };
  refresh();
  return {
    changed() {
      if (timer) return;
      timer = setTimeout(refresh, Math.max(0, last + AT_MOST_EVERY_MS - Date.now()));
    },
  };
}
