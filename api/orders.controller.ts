import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Logger } from 'pino';
import { fieldProblems, placeOrderSchema } from '../contracts/order-input';
import { apiError } from './api-error';
import { listableCustomer, mayOrderFor, ownOrder } from './auth/order-access';
import { actorOf } from './auth/session';
import { CustomerGuard, sessionOf } from './auth/session.guard';
import { apiMetrics, countCancellation } from './api-metrics';
import { cancelOrderSchema } from './cancel-order-request';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from './idempotency-key';
import { hasBody, isJson } from './json-request';
import { listOrdersQuerySchema, toOrderListQuery } from './list-orders-query';
import { OrderCancellation } from './order-cancellation';
import { OrderLookup } from './order-lookup';
import { OrderPlacement } from './order-placement';
import { orderIdParam } from './path-params';
import { UnknownCursorError, type OrderPage, type OrderReader } from './order-reader';
import { orderPath, toOrderView, type OrderView, type OrderViewSettings } from './order-view';
import type { OrderAccepted } from './response-schemas';
import { API_LOGGER, ORDER_READER, ORDER_VIEW_SETTINGS } from './tokens';

/** Every route needs a session: a customer reaches their own orders, an operator every order (api/auth/). */
@Controller('orders')
@UseGuards(CustomerGuard)
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
  async placeOrder(
    @Req() request: IncomingMessage,
    @Res({ passthrough: true }) response: ServerResponse,
    @Body() body: unknown,
    @Headers(IDEMPOTENCY_KEY_HEADER.toLowerCase()) idempotencyKey: string | undefined,
  ): Promise<OrderAccepted | OrderView> {
    if (!isJson(request)) throw apiError(415, 'Content-Type must be application/json');
    const order = placeOrderSchema.safeParse(body);
    if (!order.success) throw apiError(400, 'Invalid order', fieldProblems(order.error));
    mayOrderFor(sessionOf(request), order.data.customerId);
    const key = idempotencyKey === undefined ? undefined : idempotencyKeySchema.safeParse(idempotencyKey);
    if (key && !key.success) {
      throw apiError(400, `Invalid ${IDEMPOTENCY_KEY_HEADER} header`, [{ field: IDEMPOTENCY_KEY_HEADER, message: key.error.issues[0]!.message }]);
    }

    const { orderId, over } = await this.placement.place(order.data, key?.data);
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
  async listOrders(@Req() request: IncomingMessage, @Query() query: unknown): Promise<OrderPage> {
    const parsed = listOrdersQuerySchema.safeParse(query);
    if (!parsed.success) throw apiError(400, 'Invalid query', fieldProblems(parsed.error));
    const customer = listableCustomer(sessionOf(request), parsed.data.customer);
    try {
      return await this.reader.listOrders(toOrderListQuery({ ...parsed.data, customer }));
    } catch (error) {
      if (error instanceof UnknownCursorError) throw apiError(400, 'Invalid query', [{ field: 'after', message: error.message }]);
      throw error;
    }
  }

  @Get(':id')
  async getOrder(@Req() request: IncomingMessage, @Param('id') id: string): Promise<OrderView> {
    const orderId = orderIdParam(id);
    return toOrderView(ownOrder(sessionOf(request), orderId, await this.lookup.find(orderId)), this.views);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancelOrder(@Req() request: IncomingMessage, @Param('id') id: string, @Body() body: unknown): Promise<OrderView> {
    const orderId = orderIdParam(id);
    if (hasBody(request) && !isJson(request)) throw apiError(415, 'Content-Type must be application/json');
    // Without a body the parser leaves none: that is a cancellation without a reason.
    const cancel = cancelOrderSchema.safeParse(body ?? {});
    if (!cancel.success) throw apiError(400, 'Invalid cancellation', fieldProblems(cancel.error));
    const session = sessionOf(request);
    if (session.role === 'customer') ownOrder(session, orderId, await this.lookup.find(orderId));
    const state = await countCancellation(this.cancellation.cancel(orderId, cancel.data));
    if (session.role === 'operator') {
      this.logger.info({ audit: true, actor: actorOf(session), action: 'cancel-order', orderId, reason: cancel.data.reason }, 'operator cancelled an order');
    }
    return toOrderView(state, this.views);
  }
}
