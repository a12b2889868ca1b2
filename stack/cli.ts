import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, withoutPassword } from '../config/app-config';
import { TOPICS } from '../contracts/names';
import { kafkaClasspath } from './kafka';
import { StackError, type ServiceName } from './service';
import { down, reset, SERVICE_NAMES, status, up } from './stack';
import { stackHome } from './stack-home';

const USAGE = `usage: npm run stack -- <command> [service...]

  up      install what is missing, start what is not running, wait until ready
  down    stop the services (data is kept)
  status  show each service's pid, address and health
  logs    print the last lines of the logs (add -f to follow)
  consume [topic]  print a Kafka topic from the beginning with keys, headers and partitions
          (Kafka's console consumer; default topic ${TOPICS.orderEvents}; Ctrl-C to stop)
  reset   stop the services and delete their data and logs

services: ${SERVICE_NAMES.join(', ')} (default: all)`;

const progress = (service: string, line: string) => console.log(`[${service}] ${line}`);

async function printStatus(): Promise<boolean> {
  const rows = (await status(stackHome())).map((row) => ({
    service: row.name,
    pid: row.pid ? String(row.pid) : '-',
    address: row.address,
    healthy: row.healthy ? 'yes' : 'no',
  }));
  const columns = ['service', 'pid', 'address', 'healthy'] as const;
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
  return rows.every((row) => row.healthy === 'yes');
}

function printAddresses(): void {
  const config = loadConfig();
  console.log(`
bubble-tea-shop local stack is up:
  Temporal         ${config.temporal.address}  (namespace ${config.temporal.namespace})
  Temporal UI      ${config.temporal.uiUrl}
  Kafka bootstrap  ${config.kafka.brokers.join(',')}
  PostgreSQL       ${withoutPassword(config.database.url)}
Stop it with: npm run stack -- down`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const follow = rest.includes('-f') || rest.includes('--follow');
  const services = command === 'consume' ? [] : (rest.filter((arg) => !arg.startsWith('-')) as ServiceName[]);
  const home = stackHome();
  const began = Date.now();

  switch (command) {
    case 'up':
    case 'start': {
      const outcomes = await up(home, { services, progress });
      for (const [service, outcome] of Object.entries(outcomes)) progress(service, outcome);
      progress('stack', `up in ${((Date.now() - began) / 1000).toFixed(1)}s`);
      if (command === 'start') printAddresses();
      else await printStatus();
      return 0;
    }
    case 'down':
      await down(home, { services, progress });
      return 0;
    case 'status':
      return (await printStatus()) ? 0 : 1;
    case 'reset':
      await reset(home, { progress });
      progress('stack', `data and logs removed from ${home.home}`);
      return 0;
    case 'logs': {
      const files = (services.length > 0 ? services : SERVICE_NAMES)
        .map((service) => home.logFile(service))
        .filter((file) => existsSync(file));
      if (files.length === 0) {
        console.log(`no logs yet in ${home.logsDir}`);
        return 0;
      }
      const tail = spawn('tail', ['-n', '50', ...(follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
      return new Promise((resolve) => tail.on('exit', (code) => resolve(code ?? 0)));
    }
    case 'consume': {
      const topic = rest.find((arg) => !arg.startsWith('-')) ?? TOPICS.orderEvents;
      const consumer = spawn(
        'java',
        [
          '-cp', kafkaClasspath(home),
          'org.apache.kafka.tools.consumer.ConsoleConsumer',
          '--bootstrap-server', `127.0.0.1:${home.ports.KAFKA_PORT}`,
          '--topic', topic,
          '--from-beginning',
          '--property', 'print.key=true',
          '--property', 'print.headers=true',
          '--property', 'print.partition=true',
          '--property', 'print.offset=true',
        ],
        { stdio: 'inherit' },
      );
      return new Promise((resolve) => consumer.on('exit', (code) => resolve(code ?? 0)));
    }
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackError || error instanceof ConfigError) console.error(`stack: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
