import { z } from 'zod';
import { MENU } from './menu';
import { STATIONS } from './names';
import { storableText } from './storable-text';

/*
 * The shop's reports: each one's name, what it says, the SQL view an analyst reads for it (schema `reporting`,
 * projections/migrations/0005) and the shape of its rows. The report CLI, the API's `GET /reports/<name>` and
 * the operator board all read this catalogue; the SQL that answers each is projections/reports/report-queries.ts.
 * Every report counts the orders placed since a moment (`since`, by default the last 24 hours); the money reports
 * (`counts: 'money'`) count the payments and refunds made since it.
 */

const at = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1).meta({ description: 'A fraction, 0 to 1, to 4 decimals.' });
const seconds = z.number().nonnegative().meta({ description: 'Seconds, to the millisecond.' });

export const ITEM_KINDS = ['tea', 'pearl', 'topping', 'sugar'] as const;
/** The stages timed: the three stations, and the whole order from placed to ready. */
export const TIMED_STAGES = [...STATIONS, 'placed-to-ready'] as const;
export const BREACH_STAGES = [...STATIONS, 'any'] as const;

const percentiles = { orders: count, p50: seconds, p95: seconds, p99: seconds, max: seconds };
const cents = z.number().int().meta({ description: 'An amount in minor units of the currency (cents).' });
const money = { payments: count, charged_cents: cents.nonnegative(), refunds: count, refunded_cents: cents.nonnegative(), net_cents: cents };
/** How an order can end early: a station failed for good, it was cancelled, or its payment was declined. */
export const OUTCOMES = ['failed', 'cancelled', 'declined'] as const;

export const REPORTS = {
  'popular-items': {
    summary: 'Drinks per tea, pearl, topping and sugar level, and each one’s share of its kind (whole hours)',
    wholeHours: true,
    view: 'popular_items',
    row: z.object({ kind: z.enum(ITEM_KINDS), item: z.string(), drinks: count, share }),
  },
  'popular-items-daily': {
    summary: 'Popular items per day (UTC)',
    wholeHours: true,
    view: 'popular_items_daily',
    row: z.object({ day: at, kind: z.enum(ITEM_KINDS), item: z.string(), drinks: count, share }),
  },
  'orders-per-hour': {
    summary: 'Orders placed and drinks per hour, and drinks per order',
    view: 'orders_per_hour',
    row: z.object({ hour: at, orders: count, drinks: count, drinks_per_order: z.number().nonnegative() }),
  },
  'orders-per-minute': {
    summary: 'Orders placed and drinks per minute',
    view: 'orders_per_minute',
    row: z.object({ minute: at, orders: count, drinks: count }),
  },
  'drinks-per-order': {
    summary: 'How many orders had 1, 2, 3 ... drinks, and their share of the orders',
    view: 'drinks_per_order',
    row: z.object({ drinks: count, orders: count, share }),
  },
  'stage-durations': {
    summary: 'Seconds per stage (label, mix, top, placed to ready): p50, p95, p99 and max',
    view: 'stage_durations',
    row: z.object({ stage: z.enum(TIMED_STAGES), ...percentiles }),
  },
  'stage-durations-hourly': {
    summary: 'Stage seconds (p50, p95, p99, max) per hour the orders were placed in (whole hours)',
    wholeHours: true,
    view: 'stage_durations_hourly',
    row: z.object({ hour: at, stage: z.enum(TIMED_STAGES), ...percentiles }),
  },
  'sla-breaches': {
    summary: 'SLA breaches per stage, and their rate among the orders placed (any: orders late at least once)',
    view: 'sla_breaches_by_stage',
    row: z.object({ stage: z.enum(BREACH_STAGES), breaches: count, orders: count, rate: share }),
  },
  failures: {
    summary: 'Failed, cancelled and payment-declined orders by reason, with the latest',
    view: 'failures_by_reason',
    row: z.object({ outcome: z.enum(OUTCOMES), reason: z.string(), orders: count, last_at: at }),
  },
  refunds: {
    summary: 'Refunds per day (UTC) of the refund, after a failure or a cancellation, and the drinks refunded',
    view: 'refunds_daily',
    row: z.object({ day: at, refunds: count, after_failure: count, after_cancellation: count, drinks: count }),
  },
  customers: {
    summary: 'Per customer: orders, drinks, favourite tea and last order (the 100 with the most orders)',
    view: 'customer_summary',
    row: z.object({ customer: z.string(), orders: count, drinks: count, favourite_tea: z.enum(MENU.teas), last_order_at: at }),
  },
  revenue: {
    summary: 'Money charged (OrderPaid), refunded (OrderRefunded) and net, in minor units, per currency (whole hours of payments and refunds)',
    wholeHours: true,
    counts: 'money',
    view: 'revenue',
    row: z.object({ currency: z.string(), ...money }),
  },
  'revenue-daily': {
    summary: 'Money charged, refunded and net per day (UTC) of the payment or refund, in minor units (whole hours)',
    wholeHours: true,
    counts: 'money',
    view: 'revenue_daily',
    row: z.object({ day: at, currency: z.string(), ...money }),
  },
} as const;

export type ReportName = keyof typeof REPORTS;

/** Reports read from hourly rollups count whole hours: from the start (UTC) of the hour `since` falls in. */
export function countedFrom(name: ReportName, since: Date | null): Date | null {
  if (since === null || !('wholeHours' in REPORTS[name])) return since;
  return new Date(Math.floor(since.getTime() / 3_600_000) * 3_600_000);
}
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];
export type ReportRow<Name extends ReportName> = z.infer<(typeof REPORTS)[Name]['row']>;

export function isReportName(name: string): name is ReportName {
  return Object.hasOwn(REPORTS, name);
}

/** What every report answers: its name, the moment it counts from (null: all time; whole-hour reports: the hour's start), and its rows. */
export interface Report<Name extends ReportName = ReportName> {
  report: Name;
  since: string | null;
  rows: Array<ReportRow<Name>>;
}

export const DEFAULT_SINCE = '24h';
const UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const RELATIVE = /^(\d{1,6})([mhdw])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `since` as people write it: a span back from now (`30m`, `1h`, `7d`, `2w`), a day (`2026-11-01`, from its
 * start in UTC), a moment (`2026-11-01T09:30:00Z`), or `all`. Null for all time; an Error says what is wrong.
 */
export function parseSince(text: string, now: Date = new Date()): Date | null | Error {
  const value = text.trim();
  if (value === 'all') return null;
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2] as keyof typeof UNITS]);
  const moment = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : DATE_TIME.test(value) ? new Date(value) : undefined;
  if (moment && !Number.isNaN(moment.getTime())) return moment;
  return new Error('expected a span such as 30m, 1h, 7d or 2w, a date such as 2026-11-01, a moment such as 2026-11-01T09:30:00Z, or all');
}

/** The `since` query parameter of `GET /reports/<name>`, read into the moment it means (null: all time). */
export const sinceSchema = storableText()
  .default(DEFAULT_SINCE)
  .transform((text, context) => {
    const since = parseSince(text);
    if (since instanceof Error) {
      context.addIssue({ code: 'custom', message: since.message });
      return z.NEVER;
    }
    return since;
  })
  .meta({ description: 'Count the orders placed since: `30m`, `1h`, `7d`, `2w`, a day `2026-11-01` (UTC), a moment `2026-11-01T09:30:00Z`, or `all`. Default `24h`.' });
