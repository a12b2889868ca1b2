import { REPORTS, type Report } from '../../contracts/reports';
import { reportColumns } from './report-queries';

/** A report as the CLI prints it: an aligned table (the default), JSON, or CSV (RFC 4180, with a header row). */

export const REPORT_FORMATS = ['table', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return csv(report);
    case 'table':
      return table(report);
  }
}

const cellText = (value: unknown) => (value === null || value === undefined ? '' : String(value));

function csv(report: Report): string {
  const columns = reportColumns(report.report);
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [columns, ...report.rows.map((row) => columns.map((column) => cellText((row as Record<string, unknown>)[column])))];
  return lines.map((line) => line.map(quote).join(',')).join('\r\n') + '\r\n';
}

function table(report: Report): string {
  const columns = reportColumns(report.report);
  const rows = report.rows.map((row) => columns.map((column) => (row as Record<string, unknown>)[column]));
  const widths = columns.map((column, index) => Math.max(column.length, ...rows.map((row) => cellText(row[index]).length)));
  // Numbers line up on the right, text on the left.
  const numeric = columns.map((_, index) => rows.length > 0 && rows.every((row) => typeof row[index] === 'number'));
  const line = (cells: string[]) => cells.map((cell, index) => (numeric[index] ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!))).join('  ').trimEnd();
  const counted = 'counts' in REPORTS[report.report] ? 'payments and refunds made' : 'orders placed';
  const title = `${report.report}: ${REPORTS[report.report].summary}; ${counted} ${report.since === null ? 'at any time' : `since ${report.since}`}`;
  const body = rows.length === 0 ? ['(no rows)'] : [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(row.map(cellText)))];
  return [title, '', ...body, ''].join('\n');
}
