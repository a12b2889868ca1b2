import { normalOrderId } from '../contracts/ids';
import { fieldProblems } from '../contracts/order-input';
import { storableText } from '../contracts/storable-text';
import { apiError, orderNotFound } from './api-error';

/* Path segments as the router decoded them (`%00` is U+0000 by then), checked like every other input. */

const pathSegmentSchema = storableText();

/** The segment itself; a 400 naming the parameter if it holds a character that cannot be stored. */
export function storablePathParam(name: string, value: string): string {
  const parsed = pathSegmentSchema.safeParse(value);
  if (!parsed.success) throw apiError(400, 'Invalid path', fieldProblems(parsed.error).map((problem) => ({ ...problem, field: name })));
  return parsed.data;
}

/** The `:id` of an order route, lower-cased; 404 when it cannot be an order id. */
export function orderIdParam(id: string): string {
  const orderId = normalOrderId(storablePathParam('id', id));
  if (orderId === undefined) throw orderNotFound(id);
  return orderId;
}
