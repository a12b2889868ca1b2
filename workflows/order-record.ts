import { CancellationScope } from '@temporalio/workflow';
import { nextOrderEvent } from '../contracts/event-envelope';
import { eventIdOf } from '../contracts/ids';
import { decide, type OrderCommand } from '../contracts/order-decider';
import { evolve } from '../contracts/order-decider';
import type { OrderState } from '../contracts/order-state';
import { upcastOrderEvent, type LoggedOrderEvent } from '../contracts/upcast-steps';
import { localPublisher, publisher } from './order-activities';
import type { OrderWorkflowInput } from './order-definitions';
import type { OrderVisibility } from './order-visibility';

/**
 * The order as its workflow has published it. The workflow is the order's single writer: each command is
 * decided by the order's rules (contracts/order-decider.ts), published with the next sequence number, and
 * folded into the state the query answers with.
 */
export class OrderRecord {
  private folded: OrderState | undefined;

  constructor(
    private readonly orderId: string,
    private readonly publishLocally: boolean,
    private readonly visibility: OrderVisibility,
  ) {}

  /** The order so far; undefined until OrderPlaced is published. */
  get state(): OrderState | undefined {
    return this.folded;
  }

  /** The order so far, once placed. */
  get current(): OrderState {
    if (!this.folded) throw new Error(`order ${this.orderId} is not placed yet`);
    return this.folded;
  }

  /** Publishes the event the command decides, and folds it. */
  async record(command: OrderCommand): Promise<OrderState> {
    return this.publish((occurredAt) => nextOrderEvent(this.orderId, this.folded, decide(command, this.folded), occurredAt));
  }

  /** OrderPlaced as orders started before prices published it (version 1, drinks without prices). */
  async recordUnpricedPlacement({ customerId, drinks }: OrderWorkflowInput): Promise<OrderState> {
    const { orderId } = this;
    return this.publish((occurredAt) => ({ eventId: eventIdOf(orderId, 1), orderId, sequence: 1, type: 'OrderPlaced', schemaVersion: 1, occurredAt, data: { customerId, drinks } }));
  }

  /**
   * Publishes the event `build` makes, as built (an older version for orders started before a change), and
   * folds its current version. Never cancelled: a sequence number once taken must reach Kafka, or the read
   * side would wait for it forever.
   */
  private async publish(build: (occurredAt: string) => LoggedOrderEvent): Promise<OrderState> {
    return CancellationScope.nonCancellable(async () => {
      const event = build(new Date().toISOString());
      await (this.publishLocally ? localPublisher : publisher).publishEvent(event);
      const state = evolve(this.folded, upcastOrderEvent(event));
      this.folded = state;
      this.visibility.show(state);
      return state;
    });
  }
}
