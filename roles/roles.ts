import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { startApi } from './api';
import { startOrchestrator } from './orchestrator';
import { startProjector } from './projector';
import { startReconciler } from './reconciler';
import type { RunningRole } from './running-role';
import { startStation } from './station';

export const ROLE_NAMES = ['projector', 'orchestrator', 'station:label', 'station:mix', 'station:top', 'reconciler', 'api'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

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
    case 'station:label':
      return startStation('label', config, logger);
    case 'station:mix':
      return startStation('mix', config, logger);
    case 'station:top':
      return startStation('top', config, logger);
  }
}
