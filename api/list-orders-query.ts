import { z } from 'zod';
import { ORDER_STATUS_NAMES } from '../contracts/order-state';
import { storableText } from '../contracts/storable-text';
import type { OrderListQuery } from '../projections/order-reader';

/** The query string of `GET /orders`; strict, so a misspelt parameter is an error rather than ignored. */
export const listOrdersQuerySchema = z.strictObject({
  customer: storableText().min(1).max(64).optional().meta({ description: 'Only this customer’s orders.' }),
  status: z.enum(ORDER_STATUS_NAMES).optional().meta({ description: 'Only orders in this status.' }),
  // A query string only has text; z.coerce.boolean would read 'false' as true.
  slaBreached: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: '`true`: only orders that ever ran past an SLA; `false`: only those that never did.' }),
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Page size, 1 to 100.' }),
  after: storableText().min(1).max(500).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
});

export type ListOrdersQueryString = z.infer<typeof listOrdersQuerySchema>;

export function toOrderListQuery({ customer, status, slaBreached, limit, after }: ListOrdersQueryString): OrderListQuery {
  return {
    limit,
    ...(customer === undefined ? {} : { customerId: customer }),
    ...(status === undefined ? {} : { status }),
    ...(slaBreached === undefined ? {} : { slaBreached }),
    ...(after === undefined ? {} : { after }),
  };
}
