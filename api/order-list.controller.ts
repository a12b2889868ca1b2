import type { IncomingMessage } from 'node:http';
import { Controller, Get, Inject, Query, Req, UseGuards } from '@nestjs/common';
import { withStatusDisplay } from '../contracts/order-status-text';
import { UnknownCursorError, type OrderReader } from '../projections/order-reader';
import { apiError } from './api-error';
import { listableCustomer } from './auth/order-access';
import { CustomerGuard, sessionOf } from './auth/session.guard';
import { listOrdersQuerySchema, toOrderListQuery, type ListOrdersQueryString } from './list-orders-query';
import { ApiDoc, error, json, NOT_THIS_SESSIONS, READ_MODEL_UNAVAILABLE } from './openapi-docs';
import type { OrderListView } from './order-view';
import { ORDER_READER } from './tokens';
import { ZodValidationPipe } from './zod-validation-pipe';

/** `GET /orders`: a customer's own orders, or for an operator anyone's, from the read model. */
@Controller('orders')
@UseGuards(CustomerGuard)
@ApiDoc({ responses: { '403': error(NOT_THIS_SESSIONS) } })
export class OrderListController {
  constructor(@Inject(ORDER_READER) private readonly reader: OrderReader) {}

  @Get()
  @ApiDoc({
    operationId: 'listOrders',
    summary: 'List orders, newest first, one page at a time',
    responses: { '200': { description: 'A page of orders.', content: json('OrderPage') }, '400': error('Invalid query.'), '503': READ_MODEL_UNAVAILABLE },
  })
  async listOrders(@Req() request: IncomingMessage, @Query(new ZodValidationPipe(listOrdersQuerySchema, 'Invalid query')) query: ListOrdersQueryString): Promise<OrderListView> {
    const customer = listableCustomer(sessionOf(request), query.customer);
    try {
      const page = await this.reader.listOrders(toOrderListQuery({ ...query, customer }));
      return { ...page, orders: page.orders.map((order) => withStatusDisplay(order)) };
    } catch (error) {
      if (error instanceof UnknownCursorError) throw apiError(400, 'Invalid query', [{ field: 'after', message: error.message }]);
      throw error;
    }
  }
}
