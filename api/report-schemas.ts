import { z } from 'zod';
import { REPORT_NAMES, REPORTS, sinceSchema, type ReportName } from '../contracts/reports';

/** The query string of `GET /reports/<name>` and the answers, for validation and the OpenAPI document. */

/** Strict, so a misspelt parameter is an error rather than ignored. */
export const reportQuerySchema = z.strictObject({ since: sinceSchema });

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());

/** `popular-items` → `PopularItemsReport`. */
export const reportComponentId = (name: ReportName) => `${pascal(name)}Report`;

function reportSchema(name: ReportName) {
  return z
    .object({
      report: z.literal(name),
      since: z.iso.datetime({ offset: true }).nullable().meta({ description: 'Orders placed since this moment are counted; null: all time.' }),
      rows: z.array(REPORTS[name].row),
    })
    .meta({ description: `${REPORTS[name].summary}. The SQL view: \`reporting.${REPORTS[name].view}\`.` });
}

export const REPORT_COMPONENTS: Record<string, z.ZodType> = Object.fromEntries(REPORT_NAMES.map((name) => [reportComponentId(name), reportSchema(name)]));

export const reportListSchema = z
  .array(z.object({ name: z.enum(REPORT_NAMES), summary: z.string(), view: z.string(), href: z.string() }))
  .meta({ description: 'Every report, its SQL view and where to get it.' });
