import type { IncomingMessage } from 'node:http';
import { Body, Controller, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { countCancellation } from './api-metrics';
import { CustomerGuard, sessionOf } from './auth/session.guard';
import { cancelOrderSchema, type CancelOrder } from './cancel-order-request';
import { OPTIONAL_JSON_BODY } from './json-request';
import { ApiDoc, error, json, NOT_THIS_SESSIONS, unavailable } from './openapi-docs';
import { CANCEL_REFUSED_AFTER_MIXING, OrderCancellation } from './order-cancellation';
import { toOrderView, type OrderView, type OrderViewSettings } from './order-view';
import { ORDER_ID_PARAM } from './path-params';
import { ORDER_VIEW_SETTINGS } from './tokens';
import { ZodValidationPipe } from './zod-validation-pipe';

/** `POST /orders/:id/cancel`: a customer cancels their own order, an operator any, while the order's rules allow it. */
@Controller('orders')
@UseGuards(CustomerGuard)
@ApiDoc({ responses: { '403': error(NOT_THIS_SESSIONS) } })
export class CancelOrderController {
  constructor(
    @Inject(OrderCancellation) private readonly cancellation: OrderCancellation,
    @Inject(ORDER_VIEW_SETTINGS) private readonly views: OrderViewSettings,
  ) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @UseGuards(OPTIONAL_JSON_BODY)
  @ApiDoc({
    operationId: 'cancelOrder',
    summary: 'Cancel an order before its tea is mixed; it is refunded',
    description:
      'Possible until mixing starts, also while the payment is being taken (an order view says so in `cancellable`). Answers once the cancellation and the refund are recorded; cancelling a cancelled order again answers it again.',
    responses: {
      '200': { description: 'Cancelled and refunded: the order as it is now.', content: json('Order') },
      '400': error('Invalid body or invalid JSON.'),
      '404': error('No such order.'),
      '409': error(
        `Too late: "${CANCEL_REFUSED_AFTER_MIXING}", or the order is already over another way, also when that happens while the cancellation is under way: "Order <id> is already ready|failed|declined, it can no longer be cancelled".`,
      ),
      '413': error('Request body too large.'),
      '415': error('A body that is not application/json.'),
      '503': unavailable('The cancellation was not confirmed in time; retrying is safe.'),
    },
  })
  async cancelOrder(
    @Req() request: IncomingMessage,
    @Param('id', ORDER_ID_PARAM) orderId: string,
    // Without a body the parser leaves none: that is a cancellation without a reason.
    @Body(new ZodValidationPipe(cancelOrderSchema, 'Invalid cancellation', { absentAs: {} })) cancel: CancelOrder,
  ): Promise<OrderView> {
    return toOrderView(await countCancellation(this.cancellation.cancel(orderId, cancel, sessionOf(request))), this.views);
  }
}
