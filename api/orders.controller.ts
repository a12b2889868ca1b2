import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { placeOrderSchema, type PlaceOrder } from '../contracts/order-input';
import { mayOrderFor, ownOrder } from './auth/order-access';
import { CustomerGuard, sessionOf } from './auth/session.guard';
import { apiMetrics } from './api-metrics';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from './idempotency-key';
import { JSON_BODY } from './json-request';
import { OrderLookup } from './order-lookup';
import { OrderPlacement } from './order-placement';
import { ApiDoc, error, json, NOT_THIS_SESSIONS, READ_MODEL_UNAVAILABLE, unavailable } from './openapi-docs';
import { ORDER_ID_PARAM } from './path-params';
import { orderPath, toOrderView, type OrderView, type OrderViewSettings } from './order-view';
import type { OrderAccepted } from './response-schemas';
import { ORDER_VIEW_SETTINGS } from './tokens';
import { RequestHeader, ZodValidationPipe } from './zod-validation-pipe';

/**
 * `POST /orders` and `GET /orders/:id`. Every route of orders needs a session: a customer reaches their own
 * orders, an operator every order (api/auth/); listing and cancelling are in order-list and cancel-order.controller.ts.
 */
@Controller('orders')
@UseGuards(CustomerGuard)
@ApiDoc({ responses: { '403': error(NOT_THIS_SESSIONS) } })
export class OrdersController {
  constructor(
    @Inject(OrderPlacement) private readonly placement: OrderPlacement,
    @Inject(OrderLookup) private readonly lookup: OrderLookup,
    @Inject(ORDER_VIEW_SETTINGS) private readonly views: OrderViewSettings,
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
}
