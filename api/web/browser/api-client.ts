/// <reference lib="dom" />
import type { Drink } from '../../../contracts/order-input';
import type { OrderState } from '../../../contracts/order-state';
import type { StatusDisplay } from '../../../contracts/order-status-text';
import type { Report, ReportName } from '../../../contracts/reports';
import type { OrderListView as OrderPage, OrderView as OrderViewBody } from '../../order-view';
import type { Menu } from '../../response-schemas';

/** The API as the pages use it: same origin, JSON both ways, and its `{message, errors}` answers kept whole. */

/** The server's types, imported as types only: nothing of the server reaches the bundle. */
export type { Menu, OrderPage };

/** An order as the API sends it (the type only): whole from a single order or a stream, its state and status in words in a list. */
export type OrderView = OrderState & StatusDisplay & Partial<Omit<OrderViewBody, keyof (OrderState & StatusDisplay)>>;

import type { FieldProblem, PlaceOrder } from '../../../contracts/order-input';

export type { FieldProblem };

/** An answer other than 2xx: the API's own message and, for bad input, one problem per field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Who the page is signed in as (`POST /sessions` sets an HttpOnly cookie, which every later request carries). */
export type Session = { role: 'customer'; customerId: string } | { role: 'operator'; operator: string };

let signedInAs: string | undefined;
/** Requests wait for a sign-in under way, so none goes out with the previous customer's cookie. */
let signingIn: Promise<unknown> = Promise.resolve();

/** Signs in as this customer unless already signed in as them: a name is all the shop asks, on any device. */
export function signInAsCustomer(customerId: string): Promise<unknown> {
  if (signedInAs === customerId) return signingIn;
  signedInAs = customerId;
  signingIn = signingIn
    .catch(() => undefined)
    .then(() => send('/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId }) }))
    .catch((error: unknown) => {
      signedInAs = undefined;
      throw error;
    });
  return signingIn;
}

export function signInAsOperator(name: string, password: string): Promise<{ session: Session }> {
  return send('/sessions/operator', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
}

/** The page's session, or undefined when it has none. */
export async function currentSession(): Promise<Session | undefined> {
  try {
    return await request<Session>('/sessions/current');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  await signingIn.catch(() => undefined);
  return send<T>(path, init);
}

async function send<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    throw new ApiError(0, 'The shop cannot be reached; check your connection and try again');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const { message, errors } = (body ?? {}) as { message?: unknown; errors?: unknown };
    throw new ApiError(
      response.status,
      typeof message === 'string' ? message : `The shop answered ${response.status} ${response.statusText}`.trim(),
      Array.isArray(errors) ? (errors as FieldProblem[]) : [],
    );
  }
  return body as T;
}

export function getMenu(): Promise<Menu> {
  return request<Menu>('/menu');
}

export function getOrder(orderId: string): Promise<OrderView> {
  return request<OrderView>(`/orders/${encodeURIComponent(orderId)}`);
}

/** A customer's list signs in as that customer first; the operator board's needs the operator's session. */
export async function listOrders(query: Record<string, string | number>): Promise<OrderPage> {
  if (typeof query.customer === 'string') await signInAsCustomer(query.customer);
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  return request<OrderPage>(`/orders?${search}`);
}

export function getReport<Name extends ReportName>(name: Name, since: string): Promise<Report<Name>> {
  return request<Report<Name>>(`/reports/${name}?${new URLSearchParams({ since })}`);
}

export type DrinkChoice = Drink;

export async function placeOrder(order: PlaceOrder, idempotencyKey: string): Promise<{ orderId: string }> {
  await signInAsCustomer(order.customerId);
  return request<{ orderId: string }>('/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(order),
  });
}

export function cancelOrder(orderId: string): Promise<OrderView> {
  // JSON, as the API asks of every change that rides on the session cookie.
  return request<OrderView>(`/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

/** A random UUID for an Idempotency-Key; getRandomValues works on plain http too, where randomUUID does not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Follows a stream of order views (`event: order`) with the browser's EventSource, which reconnects by itself
 * after a dropped connection (sending Last-Event-ID). When it gives up (an error status such as a 502 from a
 * proxy), a new one is opened after a pause that grows to 30 s. `onConnection` hears whether it is live or
 * reconnecting; `reopened` is true when it is live again after a break. Returns the function that stops it.
 */
export function followOrders(
  path: string,
  onOrder: (order: OrderView) => void,
  onConnection: (state: 'live' | 'reconnecting', reopened: boolean) => void,
  onResync: () => void = () => {},
): () => void {
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const open = () => {
    const current = new EventSource(path);
    source = current;
    current.addEventListener('order', (event) => onOrder(JSON.parse((event as MessageEvent<string>).data) as OrderView));
    // The shop stream says `resync` when it may have missed changes: read the list again.
    current.addEventListener('resync', () => onResync());
    current.addEventListener('open', () => {
      onConnection('live', failures > 0);
      failures = 0;
    });
    current.addEventListener('error', () => {
      failures += 1;
      onConnection('reconnecting', false);
      if (current.readyState !== EventSource.CLOSED || stopped) return;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
      retryTimer = setTimeout(() => !stopped && open(), delay);
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    source?.close();
  };
}
