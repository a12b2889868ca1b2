/* Order ids are UUIDs; the order's workflow id is derived from it, so one order can never run twice. */

const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isOrderId(value: string): boolean {
  return ORDER_ID.test(value);
}

/** An order id as it is stored and keyed everywhere (lower case), or undefined when the text cannot be one. */
export function normalOrderId(text: string): string | undefined {
  const id = text.toLowerCase();
  return isOrderId(id) ? id : undefined;
}

export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

export function orderIdOfWorkflow(workflowId: string): string {
  return workflowId.replace(/^order-/, '');
}

export function eventIdOf(orderId: string, sequence: number): string {
  return `${orderId}:${sequence}`;
}
