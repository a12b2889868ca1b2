import type { StationFaultsChanged } from '../contracts/station-faults';

/**
 * Where `PUT /admin/faults/:station` sends a station's new fault settings; the process running the API
 * decides how (the api role publishes them to Kafka, keyed by station). Resolves once the change is durable.
 */
export interface StationFaultsPublisher {
  publish(change: StationFaultsChanged): Promise<void>;
}
