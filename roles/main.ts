import { ConfigError, loadConfig, withoutPassword, type AppConfig } from '../config/app-config';
import { StackError } from '../stack/service';
import { up } from '../stack/stack';
import { stackHome } from '../stack/stack-home';
import type { MetricsServer } from '../observability/metrics-endpoint';
import { createLogger, routeTemporalLogs } from './logger';
import { startTracing, stopTracing } from '../observability/tracing';
import { prepareMetrics, serveMetrics } from './role-metrics';
import { ROLE_NAMES, STATION_ROLES, startRole, type RoleName } from './roles';
import type { RunningRole } from './running-role';

const USAGE = `usage: npm start                 bring the local stack up and run every role in this process
       npm run role -- <role...>  run some roles against the configured services
roles: ${ROLE_NAMES.join(', ')}`;

/** Stopping order: stop taking orders first, then the workers, then the read side. */
const STOP_ORDER: RoleName[] = ['api', 'reconciler', 'orchestrator', ...STATION_ROLES, 'projector'];

function parseRoles(args: string[]): RoleName[] {
  const unknown = args.filter((arg) => !(ROLE_NAMES as readonly string[]).includes(arg));
  if (args.length === 0 || unknown.length > 0) {
    throw new ConfigError([`${unknown.length > 0 ? `unknown role ${unknown.join(', ')}` : 'no role given'}\n${USAGE}`]);
  }
  return args as RoleName[];
}

function printUrls(config: AppConfig, roles: RoleName[], running: RunningRole[], metrics: MetricsServer | undefined): void {
  const lines = ['', 'bubble-tea-shop is running:'];
  const api = running.find((role) => role.name === 'api')?.url;
  if (api) lines.push(`  API            ${api}`, `  API docs       ${api}/docs`, `  Metrics        ${api}/metrics   (${roles.join(', ')})`);
  if (metrics) lines.push(`  Metrics        ${metrics.url}${api ? '' : `   (${roles.join(', ')})`}`);
  if (config.temporal.uiUrl) {
    const query = encodeURIComponent('WorkflowType="orderWorkflow"');
    lines.push(`  Order workflows ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows?query=${query}`);
  }
  lines.push(`  Kafka          ${config.kafka.brokers.join(',')}`, `  PostgreSQL     ${withoutPassword(config.database.url)}`, 'Stop with Ctrl-C.', '');
  console.log(lines.join('\n'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const roles = command === 'start' ? [...ROLE_NAMES] : parseRoles(command === 'role' ? rest : argv);
  const config = loadConfig();
  // Before the logger, so its lines carry trace ids; off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  await startTracing('bubble-tea-shop');
  const logger = createLogger(command === 'start' ? 'bubble-tea-shop' : roles.join('+'));
  routeTemporalLogs(logger, await prepareMetrics(roles));

  if (command === 'start') {
    await up(stackHome(), { progress: (service, line) => logger.info({ service }, line) });
  }

  const running: RunningRole[] = [];
  const metrics = await serveMetrics(config, roles, logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'Second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'Starting graceful shutdown...');
    for (const name of STOP_ORDER) {
      const role = running.find((candidate) => candidate.name === name);
      if (role) await role.stop().catch((error: unknown) => logger.error({ err: error, role: name }, 'Role did not stop cleanly'));
    }
    await metrics?.close();
    await stopTracing().catch((error: unknown) => logger.warn({ err: error }, 'Traces could not all be exported'));
    logger.info('Graceful shutdown completed');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Side by side: a role waiting for its server (the projector for PostgreSQL) holds up none of the others.
  await Promise.all(
    roles.map(async (name) => {
      const role = await startRole(name, config, logger.child({ role: name }));
      running.push(role);
      role.running.then(
        () => !stopping && logger.error({ role: name }, 'Role stopped by itself'),
        (error: unknown) => {
          logger.error({ err: error, role: name }, 'Role failed');
          void shutdown('role failure');
        },
      );
    }),
  );
  printUrls(config, roles, running, metrics);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StackError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
