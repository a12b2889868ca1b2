import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { fieldProblems } from '../contracts/order-input';
import { isReportName, REPORT_NAMES, REPORTS, type Report } from '../contracts/reports';
import { apiError } from './api-error';
import { OperatorGuard } from './auth/session.guard';
import { storablePathParam } from './path-params';
import { reportQuerySchema } from './report-schemas';
import type { ReportReader } from './report-reader';
import { REPORT_READER } from './tokens';

export interface ReportListing {
  name: string;
  summary: string;
  view: string;
  href: string;
}

/** The shop's numbers (contracts/reports.ts) as JSON, from the read model's reporting views; for operators only. */
@Controller('reports')
@UseGuards(OperatorGuard)
export class ReportsController {
  constructor(@Inject(REPORT_READER) private readonly reports: ReportReader) {}

  @Get()
  list(): ReportListing[] {
    return REPORT_NAMES.map((name) => ({ name, summary: REPORTS[name].summary, view: `reporting.${REPORTS[name].view}`, href: `/reports/${name}` }));
  }

  @Get(':name')
  async report(@Param('name') param: string, @Query() query: unknown): Promise<Report> {
    const name = storablePathParam('name', param);
    if (!isReportName(name)) throw apiError(404, `No report named ${name}; GET /reports lists them`);
    const parsed = reportQuerySchema.safeParse(query);
    if (!parsed.success) throw apiError(400, 'Invalid query', fieldProblems(parsed.error));
    return this.reports.run(name, parsed.data.since);
  }
}
