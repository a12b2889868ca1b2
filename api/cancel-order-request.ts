import { z } from 'zod';
import { storableText } from '../contracts/storable-text';

/** The optional body of `POST /orders/:id/cancel`; no body at all cancels with the default reason. */
export const cancelOrderSchema = z
  .strictObject({
    reason: storableText()
      .trim()
      .min(1, 'reason must be 1 to 200 characters')
      .max(200, 'reason must be 1 to 200 characters')
      .optional()
      .meta({ description: 'Why the order is cancelled; kept on the order. Without one: "cancelled by the customer".' }),
  })
  .meta({ id: 'CancelOrder', description: 'Why the customer cancels; the whole body is optional.' });

export type CancelOrder = z.infer<typeof cancelOrderSchema>;
