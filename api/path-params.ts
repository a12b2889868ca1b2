import { z } from 'zod';
import { stationSchema } from '../contracts/events';
import { normalOrderId } from '../contracts/ids';
import { STATIONS } from '../contracts/names';
import { isReportName, REPORT_NAMES } from '../contracts/reports';
import { fieldProblems } from '../contracts/order-input';
import { storableText } from '../contracts/storable-text';
import { apiError, orderNotFound } from './api-error';
import type { DocumentedPipe } from './zod-validation-pipe';

/* Path segments as the router decoded them (`%00` is U+0000 by then), checked like every other input. */

const pathSegmentSchema = storableText();

/** The segment itself; a 400 naming the parameter if it holds a character that cannot be stored. */
export function storablePathParam(name: string, value: string): string {
  const parsed = pathSegmentSchema.safeParse(value);
  if (!parsed.success) throw apiError(400, 'Invalid path', fieldProblems(parsed.error).map((problem) => ({ ...problem, field: name })));
  return parsed.data;
}

/**
 * A path parameter that names one of a known set (an order, a station, a report): a 400 for a character that
 * cannot be stored, a 404 for a name that is none of them. `schema` is what the document shows.
 */
export class KnownPathParam<Name extends string> implements DocumentedPipe {
  constructor(
    private readonly name: string,
    readonly schema: z.ZodType<Name>,
    private readonly known: (segment: string) => Name | undefined,
    private readonly notFound: (segment: string) => Error,
  ) {}

  transform(segment: string): Name {
    const known = this.known(storablePathParam(this.name, segment));
    if (known === undefined) throw this.notFound(segment);
    return known;
  }
}

/** The `:id` of an order route, lower-cased; 404 when it cannot be an order id. */
export const ORDER_ID_PARAM = new KnownPathParam(
  'id',
  z.uuid().meta({ description: 'The order id (a UUID) from `POST /orders`.' }),
  normalOrderId,
  orderNotFound,
);

/** The `:station` of the admin API. */
export const STATION_PARAM = new KnownPathParam(
  'station',
  stationSchema.meta({ description: 'The station whose faults are set.' }),
  (segment) => STATIONS.find((station) => station === segment),
  (segment) => apiError(404, `Station ${segment} not found: the stations are ${STATIONS.join(', ')}`),
);

/** The `:name` of a report. */
export const REPORT_NAME_PARAM = new KnownPathParam(
  'name',
  z.enum(REPORT_NAMES),
  (segment) => (isReportName(segment) ? segment : undefined),
  (segment) => apiError(404, `No report named ${segment}; GET /reports lists them`),
);
