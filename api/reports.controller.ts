import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import type { z } from 'zod';
import { REPORT_NAMES, REPORTS, type Report, type ReportName } from '../contracts/reports';
import { OperatorGuard } from './auth/session.guard';
import { ApiDoc, error, json, READ_MODEL_UNAVAILABLE, ref } from './openapi-docs';
import { REPORT_NAME_PARAM } from './path-params';
import { reportComponentId, reportQuerySchema } from './report-schemas';
import type { ReportReader } from './report-reader';
import { REPORT_READER } from './tokens';
import { ZodValidationPipe } from './zod-validation-pipe';

type ReportQuery = z.output<typeof reportQuerySchema>;

export interface ReportListing {
  name: string;
  summary: string;
  view: string;
  href: string;
}

/** The shop's numbers (contracts/reports.ts) as JSON, from the read model's reporting views; for operators only. */
@Controller('reports')
@UseGuards(OperatorGuard)
@ApiDoc({ tags: ['reports'], responses: { '403': error('Not an operator: reports are for operators.') } })
export class ReportsController {
  constructor(@Inject(REPORT_READER) private readonly reports: ReportReader) {}

  @Get()
  @ApiDoc({ operationId: 'listReports', summary: 'The shop’s reports (`GET /reports/<name>?since=`)', responses: { '200': { description: 'Every report.', content: json('ReportList') } } })
  list(): ReportListing[] {
    return REPORT_NAMES.map((name) => ({ name, summary: REPORTS[name].summary, view: `reporting.${REPORTS[name].view}`, href: `/reports/${name}` }));
  }

  /** One path per report in the document, so each documents its own rows. */
  @Get(':name')
  @ApiDoc({
    responses: { '400': error('Invalid query.'), '503': READ_MODEL_UNAVAILABLE },
    each: {
      param: 'name',
      values: REPORT_NAMES,
      doc: (name) => ({
        operationId: `report${reportComponentId(name as ReportName).replace(/Report$/, '')}`,
        summary: REPORTS[name as ReportName].summary,
        description: `From the SQL view \`reporting.${REPORTS[name as ReportName].view}\` (and the rows behind it), through the API's read-only role.`,
        responses: { '200': { description: 'The report.', content: { 'application/json': { schema: ref(reportComponentId(name as ReportName)) } } } },
      }),
    },
  })
  async report(@Param('name', REPORT_NAME_PARAM) name: ReportName, @Query(new ZodValidationPipe(reportQuerySchema, 'Invalid query')) query: ReportQuery): Promise<Report> {
    return this.reports.run(name, query.since);
  }
}
