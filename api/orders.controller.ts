import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Logger } from 'pino';
import { placeOrderSchema, type PlaceOrder } from '../contracts/order-input';
import { CANCEL_REFUSED_AFTER_MIXING } from '../workflows/order-definitions';
import { apiError } from './api-error';
import { listableCustomer, mayOrderFor, ownOrder } from './auth/order-access';
import { actorOf } from './auth/session';
import { CustomerGuard, sessionOf } from './auth/session.guard';
import { apiMetrics, countCancellation } from './api-metrics';
import { cancelOrderSchema, type CancelOrder } from './cancel-order-request';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from './idempotency-key';
import { JSON_BODY, OPTIONAL_JSON_BODY } from './json-request';
import { listOrdersQuerySchema, toOrderListQuery, type ListOrdersQueryString } from './list-orders-query';
import { OrderCancellation } from './order-cancellation';
import { OrderLookup } from './order-lookup';
import { OrderPlacement } from './order-placement';
import { ApiDoc, error, json, NOT_THIS_SESSIONS, READ_MODEL_UNAVAILABLE, unavailable } from './openapi-docs';
import { ORDER_ID_PARAM } from './path-params';
import { UnknownCursorError, type OrderPage, type OrderReader } from '../projections/order-reader';
import { orderPath, toOrderView, type OrderView, type OrderViewSettings } from './order-view';
import type { OrderAccepted } from './response-schemas';
import { API_LOGGER, ORDER_READER, ORDER_VIEW_SETTINGS } from './tokens';
import { RequestHeader, ZodValidationPipe } from './zod-validation-pipe';

/** Every route needs a session: a customer reaches their own orders, an operator every order (api/auth/). */
@Controller('orders')
@UseGuards(CustomerGuard)
@ApiDoc({ responses: { '403': error(NOT_THIS_SESSIONS) } })
export class OrdersController {
  constructor(
    @Inject(OrderPlacement) private readonly placement: OrderPlacement,
    @Inject(OrderLookup) private readonly lookup: OrderLookup,
    @Inject(OrderCancellation) private readonly cancellation: OrderCancellation,
    @Inject(ORDER_READER) private readonly reader: OrderReader,
    @Inject(ORDER_VIEW_SETTINGS) private readonly views: OrderViewSettings,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @HttpCode(202)
  @UseGuards(JSON_BODY)
  @ApiDoc({
    operationId: 'placeOrder',
    summary: 'Place an order',
    responses: {
      '200': {
        description: 'A retry (same Idempotency-Key) of an order that is already over (ready, refunded, ...): the order as it is.',
        headers: { Location: { description: 'Where to watch the order.', schema: { type: 'string' } } },
        content: json('Order'),
      },
      '202': {
        description: 'Accepted: the order is placed and being made.',
        headers: { Location: { description: 'Where to watch the order.', schema: { type: 'string' } } },
        content: json('OrderAccepted'),
      },
      '400': error('Invalid order, invalid JSON or invalid Idempotency-Key.'),
      '409': error('The order needs something sold out now (see `soldOut` in GET /menu): one error per field, with code `out_of_stock`.'),
      '413': error('Request body too large.'),
      '415': error('Content-Type is not application/json.'),
      '422': error('The Idempotency-Key was already used for a different order.'),
      '503': unavailable('The order service is temporarily unavailable.'),
    },
  })
  async placeOrder(
    @Req() request: IncomingMessage,
    @Res({ passthrough: true }) response: ServerResponse,
    @Body(new ZodValidationPipe(placeOrderSchema, 'Invalid order')) order: PlaceOrder,
    @RequestHeader(IDEMPOTENCY_KEY_HEADER, new ZodValidationPipe(idempotencyKeySchema.optional(), `Invalid ${IDEMPOTENCY_KEY_HEADER} header`, { header: IDEMPOTENCY_KEY_HEADER }))
    idempotencyKey: string | undefined,
  ): Promise<OrderAccepted | OrderView> {
    mayOrderFor(sessionOf(request), order.customerId);
    const { orderId, over } = await this.placement.place(order, idempotencyKey);
    response.setHeader('Location', orderPath(orderId));
    const state = over ? await this.lookup.find(orderId) : null;
    if (state) {
      // A retry of an order that is already over: nothing was accepted now, so answer with the order as it is.
      response.statusCode = 200;
      apiMetrics().ordersPlaced.inc({ result: 'already_over' });
      return toOrderView(state, this.views);
    }
    apiMetrics().ordersPlaced.inc({ result: 'accepted' });
    return { orderId, status: 'placed', links: { self: orderPath(orderId) } };
  }

  @Get()
  @ApiDoc({
    operationId: 'listOrders',
    summary: 'List orders, newest first, one page at a time',
    responses: { '200': { description: 'A page of orders.', content: json('OrderPage') }, '400': error('Invalid query.'), '503': READ_MODEL_UNAVAILABLE },
  })
  async listOrders(@Req() request: IncomingMessage, @Query(new ZodValidationPipe(listOrdersQuerySchema, 'Invalid query')) query: ListOrdersQueryString): Promise<OrderPage> {
    const customer = listableCustomer(sessionOf(request), query.customer);
    try {
      return await this.reader.listOrders(toOrderListQuery({ ...query, customer }));
    } catch (error) {
      if (error instanceof UnknownCursorError) throw apiError(400, 'Invalid query', [{ field: 'after', message: error.message }]);
      throw error;
    }
  }

  @Get(':id')
  @ApiDoc({
    operationId: 'getOrder',
    summary: 'An order and its status',
    responses: {
      '200': { description: 'The order.', content: json('Order') },
      '400': error('An id with a character that cannot be stored.'),
      '404': error('No such order.'),
      '503': READ_MODEL_UNAVAILABLE,
    },
  })
  async getOrder(@Req() request: IncomingMessage, @Param('id', ORDER_ID_PARAM) orderId: string): Promise<OrderView> {
    return toOrderView(ownOrder(sessionOf(request), orderId, await this.lookup.find(orderId)), this.views);
  }

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
    const session = sessionOf(request);
    if (session.role === 'customer') ownOrder(session, orderId, await this.lookup.find(orderId));
    const state = await countCancellation(this.cancellation.cancel(orderId, cancel));
    if (session.role === 'operator') {
      this.logger.info({ audit: true, actor: actorOf(session), action: 'cancel-order', orderId, reason: cancel.reason }, 'operator cancelled an order');
    }
    return toOrderView(state, this.views);
  }
}
