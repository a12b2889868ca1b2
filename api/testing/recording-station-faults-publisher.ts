import type { StationFaultsChanged } from '../../contracts/station-faults';
import type { StationFaultsPublisher } from '../station-faults-publisher';

/** Keeps every published change in memory, in order; `failWith` makes the next publishes reject, as a broker that is down. */
export class RecordingStationFaultsPublisher implements StationFaultsPublisher {
  readonly changes: StationFaultsChanged[] = [];
  failWith: Error | undefined;

  async publish(change: StationFaultsChanged): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.changes.push(change);
  }
}
