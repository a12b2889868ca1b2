import type { PaymentProvider } from './payment-provider';
import { createPaymentActivities } from './payments';
import { createPublisherActivities, type PublisherDeps } from './publisher';
import { createStationActivities, type StationDeps } from './stations';

export type ActivityDeps = StationDeps & PublisherDeps & { payments: PaymentProvider };

/** Every activity of the shop, built from its dependencies; each worker registers the part it serves. */
export function createActivities(deps: ActivityDeps) {
  return { ...createStationActivities(deps), ...createPublisherActivities(deps), ...createPaymentActivities(deps.payments) };
}
