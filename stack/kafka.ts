import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { requireCommand, run, StackError, type ServiceDefinition } from './service';
import type { StackHome } from './stack-home';

/*
 * A single-node KRaft Apache Kafka broker built from Kafka's own jars on Maven Central, resolved by Maven
 * and run with the machine's JDK. See the README for why this version.
 */

export const KAFKA_VERSION = '4.1.1';
const LOG4J_VERSION = '2.24.3';
const HEAP = '-Xmx512m';

const kafkaHome = (home: StackHome) => path.join(home.toolsDir, `kafka-${KAFKA_VERSION}`);
const libsDir = (home: StackHome) => path.join(kafkaHome(home), 'libs');
const installedMarker = (home: StackHome) => path.join(libsDir(home), '.installed');

const pom = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.stack</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

const log4jConfig = `status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
logger.kafka.name = kafka
logger.kafka.level = warn
logger.apache.name = org.apache.kafka
logger.apache.level = warn
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
`;

function serverProperties(home: StackHome): string {
  const { KAFKA_PORT, KAFKA_CONTROLLER_PORT } = home.ports;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    `listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${path.join(home.dataDir('kafka'), 'log')}`,
    'num.partitions=6',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

/** Like Kafka's own Uuid.randomUuid: base64url of 16 random bytes, never starting with '-' (it would read as a flag). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export const kafkaClasspath = (home: StackHome) => `${libsDir(home)}/*`;

export const kafkaService: ServiceDefinition = {
  name: 'kafka',
  address: (home) => `127.0.0.1:${home.ports.KAFKA_PORT}`,
  stopSignal: 'SIGTERM',
  readyTimeoutMs: 90_000,

  async install(home, progress) {
    await requireJava();
    if (existsSync(installedMarker(home)) && readFileSync(installedMarker(home), 'utf8') === pom) return;
    await requireCommand('mvn', 'to fetch Apache Kafka from Maven Central', ['--version']);
    progress(`installing Apache Kafka ${KAFKA_VERSION} (mvn dependency:copy-dependencies) into ${kafkaHome(home)}`);
    mkdirSync(kafkaHome(home), { recursive: true });
    writeFileSync(path.join(kafkaHome(home), 'pom.xml'), pom);
    await run('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${libsDir(home)}`, '-DincludeScope=runtime'], {
      cwd: kafkaHome(home),
    });
    writeFileSync(installedMarker(home), pom);
  },

  async prepare(home) {
    const dataDir = home.dataDir('kafka');
    mkdirSync(dataDir, { recursive: true });
    const propertiesFile = path.join(dataDir, 'server.properties');
    const log4jFile = path.join(dataDir, 'log4j2.properties');
    writeFileSync(propertiesFile, serverProperties(home));
    writeFileSync(log4jFile, log4jConfig);
    if (!existsSync(path.join(dataDir, 'log', 'meta.properties'))) {
      const clusterId = newClusterId();
      await run('java', ['-cp', kafkaClasspath(home), `-Dlog4j2.configurationFile=${log4jFile}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile]);
    }
    return {
      executable: 'java',
      args: [
        HEAP,
        '-Xms256m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${log4jFile}`,
        '-cp', kafkaClasspath(home),
        'kafka.Kafka',
        propertiesFile,
      ],
    };
  },

  async isHealthy(home) {
    const admin = new Kafka({
      clientId: 'stack-probe',
      brokers: [`127.0.0.1:${home.ports.KAFKA_PORT}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      return brokers.length > 0;
    } finally {
      await admin.disconnect();
    }
  },

  /**
   * Makes the broker create and load its group-offsets and producer-state topics now, rather than under the
   * first consumer group and the first idempotent producer, which would log "coordinator is loading" errors.
   */
  async afterReady(home) {
    const kafka = new Kafka({ clientId: 'stack-warmup', brokers: [`127.0.0.1:${home.ports.KAFKA_PORT}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await admin.connect();
    try {
      await admin.describeGroups(['stack-warmup']);
      await producer.connect();
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  },
};

async function requireJava(): Promise<void> {
  const version = await requireCommand('java', 'to run Apache Kafka', ['-version']);
  const major = Number(/version "(\d+)/.exec(version)?.[1] ?? 0);
  if (major < 17) throw new StackError(`Java 17 or newer is required to run Apache Kafka ${KAFKA_VERSION}, found: ${version.split('\n')[0]}`);
}
