import type { OrderState } from '../../contracts/order-state';
import { apiError, orderNotFound } from '../api-error';
import type { Session } from './session';

/**
 * What a session may reach: an operator every order, a customer their own. Another customer's order is
 * answered as not found, so its id tells nothing.
 */
export function ownOrder<State extends Pick<OrderState, 'customerId'>>(session: Session, orderId: string, state: State | null | undefined): State {
  if (!state || (session.role === 'customer' && state.customerId !== session.customerId)) throw orderNotFound(orderId);
  return state;
}

export function mayOrderFor(session: Session, customerId: string): void {
  if (session.role === 'customer' && session.customerId !== customerId) {
    throw apiError(403, `You are signed in as ${session.customerId}: you may place orders for yourself only`);
  }
}

/** The customer filter of an order list: a customer's own, whatever else was asked; an operator's as asked. */
export function listableCustomer(session: Session, asked: string | undefined): string | undefined {
  if (session.role === 'operator') return asked;
  if (asked !== undefined && asked !== session.customerId) throw apiError(403, `You are signed in as ${session.customerId}: you may list your own orders only`);
  return session.customerId;
}
