/** Order ids are UUIDs; the order's workflow id is derived from it, so one order can never run twice. */

const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isOrderId(value: string): boolean {
  return ORDER_ID.test(value);
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
