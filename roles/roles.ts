import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { STATIONS, type Station } from '../contracts/names';
import { startApi } from './api';
import { startOrchestrator } from './orchestrator';
import { startProjector } from './projector';
import { startReconciler } from './reconciler';
import type { RunningRole } from './running-role';
import { startStation } from './station';

/** One role per station, each a worker on that station's task queue. */
export const STATION_ROLES = STATIONS.map((station) => `station:${station}` as const);
type StationRole = (typeof STATION_ROLES)[number];
export const ROLE_NAMES = ['projector', 'orchestrator', ...STATION_ROLES, 'reconciler', 'api'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const stationOf = (role: StationRole) => role.slice('station:'.length) as Station;

export function startRole(name: RoleName, config: AppConfig, logger: Logger): Promise<RunningRole> {
  switch (name) {
    case 'api':
      return startApi(config, logger);
    case 'orchestrator':
      return startOrchestrator(config, logger);
    case 'projector':
      return startProjector(config, logger);
    case 'reconciler':
      return startReconciler(config, logger);
    default:
      return startStation(stationOf(name), config, logger);
  }
}
