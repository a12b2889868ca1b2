import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes every order workflow keeps up to date; the local Temporal server registers them. */
export const SEARCH_ATTRIBUTES = {
  CustomerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  OrderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  SlaBreached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
  DrinkCount: defineSearchAttributeKey('DrinkCount', SearchAttributeType.INT),
  /** How the order ended, set once it has: `ready`, `cancelled`, `failed` or `declined` (absent while it runs). */
  OrderOutcome: defineSearchAttributeKey('OrderOutcome', SearchAttributeType.KEYWORD),
} as const;
