import { z } from 'zod';
import { stationSchema } from '../contracts/events';
import { CURRENCY, MENU } from '../contracts/menu';
import { stationFaultsSchema } from '../contracts/station-faults';
import type { OrderPage } from '../projections/order-reader';
import { orderStateSchema, type Same } from './order-view';

/* The bodies the API answers with, for the OpenAPI document; requests are validated with their own schemas. */

export const apiErrorSchema = z
  .object({
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .meta({ description: 'What went wrong; for invalid input, one entry per offending field.' });

export const orderAcceptedSchema = z
  .object({
    orderId: z.uuid(),
    status: z.literal('placed'),
    links: z.object({ self: z.string() }),
  })
  .meta({ description: 'The order is placed; follow `links.self` (also the Location header) to watch it.' });

export type OrderAccepted = z.infer<typeof orderAcceptedSchema>;

export const orderPageSchema = z.object({
  orders: z.array(orderStateSchema),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `after` for the next page; null on the last page.' }),
});

// The schema documents the reader's OrderPage, so a change to either must show up here as a type error.
const documentedPageMatches: Same<z.infer<typeof orderPageSchema>, OrderPage> = true;
void documentedPageMatches;

export const menuSchema = z.object({
  teas: z.array(z.enum(MENU.teas)),
  sugarLevels: z.array(z.literal(MENU.sugarLevels)),
  pearls: z.array(z.enum(MENU.pearls)),
  toppings: z.array(z.enum(MENU.toppings)),
  sugarLabels: z.record(z.string(), z.string()).meta({ description: 'How each sugar level is shown, by percent.' }),
  currency: z.literal(CURRENCY),
  pricesCents: z
    .object({ teas: z.record(z.string(), z.number().int()), pearls: z.number().int(), topping: z.number().int() })
    .meta({ description: 'Today’s prices in cents: a drink costs its tea, plus pearls unless none, plus its topping if any.' }),
  soldOut: z
    .array(z.object({ ingredient: z.string(), station: stationSchema, reason: z.string() }))
    .meta({ description: 'What the shop has run out of now: an order that needs one is refused with 409.' }),
});

export type Menu = z.infer<typeof menuSchema>;

export const healthSchema = z.object({ status: z.literal('ok') });

const checkOutcome = z.enum(['ok', 'failed']);
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not ready']),
  message: z.string().optional(),
  checks: z.object({ temporal: checkOutcome, kafka: checkOutcome, postgres: checkOutcome }),
});

export const stationFaultsChangedSchema = z
  .object({ station: stationSchema, faults: stationFaultsSchema })
  .meta({ description: 'The station and the faults it now simulates, every default filled in.' });
