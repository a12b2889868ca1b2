-- Up Migration

-- The status in words is display, not state (contracts/order-status-text.ts words it at the edges): orders
-- folded before it left the state keep no copy of it, so every document is what today's fold makes.
update orders set document = document - 'statusCode' - 'statusText'
  where document ? 'statusCode' or document ? 'statusText';

-- Down Migration

-- The previous version's documents carried the status in words, as its table gave them.
update orders set document = document || jsonb_build_object(
  'statusCode', case status
    when 'placed' then 100 when 'labelled' then 200 when 'mixed' then 300 when 'ready' then 400 when 'delayed' then 150
    when 'cancelled' then 499 when 'failed' then 430 when 'refunded' then 450 when 'declined' then 402 end,
  'statusText', case status
    when 'placed' then 'Order received, your labels are being printed'
    when 'labelled' then 'Labels printed, your tea is being mixed'
    when 'mixed' then 'Mixed, your cup is being sealed with its topping'
    when 'ready' then 'Your bubble tea is ready!'
    when 'delayed' then 'Your order is running late, bear with us!'
    when 'cancelled' then 'Your order has been cancelled'
    when 'failed' then 'Oops! Something went wrong, we will refund your order'
    when 'refunded' then 'Your order could not be made and has been refunded'
    when 'declined' then 'Your payment was declined, nothing was charged and nothing will be made' end);
