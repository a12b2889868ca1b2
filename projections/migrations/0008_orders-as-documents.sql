-- Up Migration

-- An order is stored as what it folds into (contracts/order-state.ts), whole, in `document`: reading an order
-- reads that, and a new field of the order needs no new column. Beside it stay only the columns that queries
-- filter, sort or report on (projections/order-rows.ts names them); the ones nothing queries go.
alter table orders add column document jsonb check (jsonb_typeof(document) = 'object');

-- Existing orders' documents are made from their columns, as the projector's fold would have written them.
create function pg_temp.iso(at timestamptz) returns text language sql immutable
  return to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
update orders set document = jsonb_build_object(
  'orderId', order_id, 'customerId', customer_id, 'drinks', drinks, 'status', status,
  'statusCode', status_code, 'statusText', status_text, 'estimate', estimate,
  'placedAt', pg_temp.iso(placed_at), 'labelledAt', pg_temp.iso(labelled_at), 'mixedAt', pg_temp.iso(mixed_at), 'readyAt', pg_temp.iso(ready_at),
  'slaBreached', sla_breached, 'delays', delays,
  'cancelledAt', pg_temp.iso(cancelled_at), 'cancellationReason', cancellation_reason,
  'failedAt', pg_temp.iso(failed_at), 'failureReason', failure_reason, 'refundedAt', pg_temp.iso(refunded_at),
  'totalCents', total_cents, 'currency', currency, 'paymentId', payment_id, 'paidCents', paid_cents,
  'declineReason', decline_reason, 'refundId', refund_id, 'refundedCents', refunded_cents,
  'lastSequence', last_applied_sequence);
alter table orders alter column document set not null;

alter table orders
  drop column status_code,
  drop column status_text,
  drop column estimate,
  drop column payment_id,
  drop column refund_id;

-- Down Migration

alter table orders
  add column status_code int,
  add column status_text text,
  add column estimate jsonb,
  add column payment_id text,
  add column refund_id text;
update orders set
  status_code = (document->>'statusCode')::int,
  status_text = document->>'statusText',
  estimate = document->'estimate',
  payment_id = document->>'paymentId',
  refund_id = document->>'refundId';
alter table orders alter column status_code set not null, alter column status_text set not null;
alter table orders drop column document;
