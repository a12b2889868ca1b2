import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig, type AppConfig } from '../../config/app-config';
import type { Station } from '../../contracts/names';
import { NO_FAULTS, type StationFaults } from '../../contracts/station-faults';
import { createLogger, routeTemporalLogs } from '../logger';
import { stackHome } from '../../stack/stack-home';
import { TEST_OPERATORS_ENTRY, TEST_SESSION_SECRET } from '../../api/testing/sessions';
import { ROLE_NAMES, startRole } from '../roles';
import type { RunningRole } from '../running-role';
import { setStationFaults } from './shop-requests';

/** The whole system in the test's process, on the real local stack, as `npm start` runs it. */
export interface WholeShop {
  config: AppConfig;
  logger: Logger;
  /** The API's base URL. */
  api: string;
  /** Sets a station's injected faults through the admin API and waits for the stations to read them. */
  setFaults(station: Station, faults: Partial<StationFaults>): Promise<void>;
  /** Resets the faults it set, then stops every role. */
  stop(): Promise<void>;
}

export async function startWholeShop(name: string, settings: Record<string, string>): Promise<WholeShop> {
  const adminToken = `${name}-${randomUUID()}`;
  const config = loadConfig({ ...process.env, API_PORT: '0', ADMIN_TOKEN: adminToken, SESSION_SECRET: TEST_SESSION_SECRET, OPERATORS: TEST_OPERATORS_ENTRY, ...settings });
  // The shop's own lines (late and failed orders are expected here) go to a file, not into the test output.
  const logger = createLogger(name, pino.destination({ dest: path.join(stackHome().logsDir, `test-${name}.log`), mkdir: true, sync: false }));
  logger.level = 'warn';
  routeTemporalLogs(logger);
  const roles: RunningRole[] = [];
  for (const role of ROLE_NAMES) roles.push(await startRole(role, config, logger));
  const api = roles.find((role) => role.name === 'api')!.url!;
  const faultsSet = new Set<Station>();

  async function setFaults(station: Station, faults: Partial<StationFaults>): Promise<void> {
    await setStationFaults(api, adminToken, station, faults);
    faultsSet.add(station);
  }

  return {
    config,
    logger,
    api,
    setFaults,
    async stop() {
      for (const station of faultsSet) await setFaults(station, NO_FAULTS);
      for (const role of roles.reverse()) await role.stop();
    },
  };
}
