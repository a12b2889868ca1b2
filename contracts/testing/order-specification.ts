import { expect } from 'vitest';
import { nextOrderEvent, type OrderEventData } from '../event-envelope';
import { decide, type OrderCommand } from '../order-decider';
import { OrderRuleError, type OrderErrorCode } from '../order-errors';
import { evolve } from '../order-decider';
import type { OrderState } from '../order-state';

export const SPEC_ORDER_ID = '6b7f1c1e-2a41-4f4e-9d43-2f1f0b6a9c10';

/**
 * Given/when/then for the order's rules, as emmett's DeciderSpecification: given the events an order has had,
 * when a command comes, then it makes this event happen, or it is refused with this code.
 */
export function given(...history: OrderEventData[]) {
  const state = history.reduce<OrderState | undefined>(
    (order, decided, index) => evolve(order, nextOrderEvent(SPEC_ORDER_ID, order, decided, new Date(Date.UTC(2026, 10, 23, 10, 0, index)).toISOString())),
    undefined,
  );
  return {
    state,
    when(command: OrderCommand) {
      const decision = () => decide(command, state);
      return {
        then(expected: OrderEventData): void {
          expect(decision()).toEqual(expected);
        },
        thenRefused(code: OrderErrorCode): void {
          expect(decision).toThrow(OrderRuleError);
          expect(() => decision()).toThrow(expect.objectContaining({ code }));
        },
      };
    },
  };
}
