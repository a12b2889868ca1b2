import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Param, Req, Res, UseGuards, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { evolve } from '../contracts/order-decider';
import { type OrderState } from '../contracts/order-state';
import type { OrderChange, OrderChangesListener } from '../projections/order-changes-listener';
import { apiMetrics } from './api-metrics';
import { ownOrder } from './auth/order-access';
import { CustomerGuard, OperatorGuard, sessionOf } from './auth/session.guard';
import { lastEventIdOf, openEventStream as openStream, type EventStream } from './event-stream';
import { OrderLookup } from './order-lookup';
import type { OrderReader } from '../projections/order-reader';
import { toOrderView, type OrderViewSettings } from './order-view';
import { ApiDoc, error, EVENT_STREAM, NOT_THIS_SESSIONS, READ_MODEL_UNAVAILABLE } from './openapi-docs';
import { ORDER_ID_PARAM } from './path-params';
import { pushSpan } from './stream-tracing';
import { API_LOGGER, ORDER_CHANGES, ORDER_READER, ORDER_VIEW_SETTINGS } from './tokens';

/** How soon a stream reads again after the read model did not answer. */
const RETRY_READ_MS = 2_000;

/**
 * Live order updates as Server-Sent Events, fed by the read side: the projector's NOTIFY after each applied
 * event wakes the stream, which then reads what is new from PostgreSQL. Registered before OrdersController,
 * so `/orders/stream` is not taken for an order id.
 */
@Controller('orders')
@ApiDoc({ responses: { '403': error(NOT_THIS_SESSIONS) } })
export class OrderStreamController implements OnModuleDestroy {
  /** Open streams never end by themselves: they are ended on shutdown, or the HTTP server would wait forever. */
  private readonly open = new Set<EventStream>();

  constructor(
    @Inject(ORDER_READER) private readonly reader: OrderReader,
    @Inject(ORDER_CHANGES) private readonly changes: OrderChangesListener,
    @Inject(OrderLookup) private readonly lookup: OrderLookup,
    @Inject(ORDER_VIEW_SETTINGS) private readonly views: OrderViewSettings,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleDestroy(): void {
    for (const stream of this.open) stream.end();
  }

  private openEventStream(request: IncomingMessage, response: ServerResponse, kind: 'all' | 'order'): EventStream {
    const stream = openStream(request, response);
    this.open.add(stream);
    apiMetrics().openStreams.inc({ stream: kind });
    stream.onClose(() => {
      this.open.delete(stream);
      apiMetrics().openStreams.dec({ stream: kind });
    });
    return stream;
  }

  /** Every order change of the shop, as the order's view after it; `resync` when some may have been missed. */
  @Get('stream')
  @UseGuards(OperatorGuard)
  @ApiDoc({
    operationId: 'streamAllOrders',
    summary: 'Every order change of the shop, live (Server-Sent Events)',
    description:
      'Each `order` event carries the changed order as `data` (the Order schema). A `resync` event means changes may have been missed: reload the list. Fed by the read model, so it follows the projector.',
    responses: { '200': EVENT_STREAM },
  })
  streamAll(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    const stream = this.openEventStream(request, response, 'all');
    const unsubscribe = this.changes.subscribe((change) => {
      if (change.kind === 'resync') return stream.send({ event: 'resync', data: {} });
      const push = async () => {
        const order = await this.reader.getOrder(change.orderId);
        if (order) stream.send({ id: `${order.orderId}:${order.lastSequence}`, event: 'order', data: toOrderView(order, this.views) });
      };
      pushSpan(change, 'all', push).catch(
        (error: unknown) => {
          // The change is not lost: the client reloads what it shows.
          this.logger.warn({ err: error, orderId: change.orderId }, 'order stream could not read a changed order; asking the client to resync');
          stream.send({ event: 'resync', data: {} });
        },
      );
    });
    stream.onClose(unsubscribe);
  }

  /**
   * One order: every applied event in sequence, each as the order's view after it, with the sequence as the
   * event id. A reconnect with `Last-Event-ID` resumes after that sequence, so nothing is missed.
   */
  @Get(':id/stream')
  @UseGuards(CustomerGuard)
  @ApiDoc({
    operationId: 'streamOrder',
    summary: 'One order, live (Server-Sent Events)',
    description:
      'Every applied event of the order, in sequence, as an `order` event whose `id` is the sequence and whose `data` is the order as it is after that event (the Order schema). Send `Last-Event-ID` to resume after a sequence; the browser\'s EventSource does so by itself on reconnect.',
    parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'integer', minimum: 0 } }],
    responses: { '200': EVENT_STREAM, '400': error('An id with a character that cannot be stored.'), '404': error('No such order.'), '503': READ_MODEL_UNAVAILABLE },
  })
  async streamOne(@Param('id', ORDER_ID_PARAM) orderId: string, @Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    ownOrder(sessionOf(request), orderId, await this.lookup.find(orderId));

    const stream = this.openEventStream(request, response, 'order');
    let lastSent = lastEventIdOf(request);
    let catchingUp = Promise.resolve();
    let open = true;
    let retry: NodeJS.Timeout | undefined;
    const sendWhatIsNew = async () => {
      let state: OrderState | undefined;
      for (const event of await this.reader.eventsOf(orderId)) {
        state = evolve(state, event);
        if (event.sequence <= lastSent) continue;
        stream.send({ id: event.sequence, event: 'order', data: toOrderView(state, this.views) });
        lastSent = event.sequence;
      }
    };
    const catchUp = (change?: OrderChange) => {
      catchingUp = catchingUp.then(() => pushSpan(change, 'order', sendWhatIsNew)).catch((error: unknown) => {
        // The stream stays open and reads again shortly: a change missed now is still in the read model then.
        this.logger.warn({ err: error, orderId }, 'order stream could not read the order; retrying');
        if (!open || retry) return;
        retry = setTimeout(() => {
          retry = undefined;
          catchUp();
        }, RETRY_READ_MS);
      });
    };
    stream.onClose(this.changes.subscribe((change) => (change.kind === 'resync' || change.orderId === orderId) && catchUp(change)));
    stream.onClose(() => {
      open = false;
      clearTimeout(retry);
    });
    catchUp();
  }
}
