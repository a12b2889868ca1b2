/* Names shared by every role: the Kafka topics, consumer groups and Temporal task queues. */

export const TOPICS = {
  orderEvents: 'bubble-tea.order-events',
  orderEventsDeadLetter: 'bubble-tea.order-events.dead-letter',
  /** Compacted, keyed by station: the latest fault settings of each station. */
  stationFaults: 'bubble-tea.station-faults',
} as const;

/** At least 6: the projector scales out to one consumer per partition. */
export const ORDER_EVENTS_PARTITIONS = 6;

export const CONSUMER_GROUPS = {
  projector: 'bubble-tea.projector',
} as const;

export const TASK_QUEUES = {
  orders: 'bubble-tea.orders',
  label: 'bubble-tea.station.label',
  mix: 'bubble-tea.station.mix',
  top: 'bubble-tea.station.top',
} as const satisfies Record<'orders' | Station, string>;

/** The shop's stations, in the order an order passes them; each has its own task queue above. */
export const STATIONS = ['label', 'mix', 'top'] as const;
export type Station = (typeof STATIONS)[number];
